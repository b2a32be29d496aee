import { sampledMetricNames } from '../../../shared/metrics.js';
import type { MetricsRepository } from '../storage/index.js';

export interface RetentionOptions {
  now: () => number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  /** Rows deleted per transaction: each batch is short, so a run's writes never wait long behind one. */
  batchRows: number;
  /** Minutes rolled up per transaction. */
  rollupChunkMinutes: number;
}

const minuteMs = 60_000;
/** Samples are written a moment after they are taken; a minute is rolled up only once it is this far past. */
const settleMs = 5_000;

/**
 * Keeps the sampled history small: rolls raw samples up into one-minute rows, then deletes raw
 * samples past their retention (never before they are rolled up) and rollups past theirs. Work is
 * done in small transactions with a turn of the event loop between them.
 */
export class MetricsRetention {
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly repo: MetricsRepository,
    private readonly options: RetentionOptions,
  ) {}

  /** One full pass; a pass already under way is joined rather than doubled. */
  run(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops between batches; the pass under way resolves without finishing. */
  stop(): Promise<void> {
    this.stopped = true;
    return (this.running ?? Promise.resolve()).catch(() => undefined);
  }

  private async pass(): Promise<void> {
    const { repo, options } = this;
    const closedMinute = Math.floor((options.now() - settleMs) / minuteMs) * minuteMs;
    let from = repo.rolledUntil() ?? this.oldestSampleMinute();
    while (from !== null && from < closedMinute && !this.stopped) {
      const to = Math.min(closedMinute, from + options.rollupChunkMinutes * minuteMs);
      repo.rollUp(sampledMetricNames, from, to);
      from = to;
      await nextTurn();
    }
    const rolledUntil = repo.rolledUntil() ?? Number.NEGATIVE_INFINITY;
    const rawBefore = Math.min(options.now() - options.rawRetentionMs, rolledUntil);
    const rollupsBefore = options.now() - options.rollupRetentionMs;
    for (const metric of sampledMetricNames) {
      while (!this.stopped && Number.isFinite(rawBefore) && repo.pruneSamples(metric, rawBefore, options.batchRows) === options.batchRows) await nextTurn();
      while (!this.stopped && repo.pruneRollups(metric, rollupsBefore, options.batchRows) === options.batchRows) await nextTurn();
      await nextTurn();
    }
  }

  private oldestSampleMinute(): number | null {
    let oldest: number | null = null;
    for (const metric of sampledMetricNames) {
      const at = this.repo.oldestSample(metric);
      if (at !== null && (oldest === null || at < oldest)) oldest = at;
    }
    return oldest === null ? null : Math.floor(oldest / minuteMs) * minuteMs;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
