import type { StepStatus } from '../../../shared/runs.js';
import type { EventBus } from '../events/index.js';
import { countStep, emptyCounts, type RunHead, type RunsRepository } from '../storage/index.js';

/**
 * A run's `run.updated` announcements. A step's end and the next one's start (or a burst of skips,
 * or several steps ending together) come in one turn of the event loop: one summary, read after
 * all of them, announces them all. Each summary counts every step of the run in the database, so
 * one per transition made a big run's announcements grow with its size (bench: 0.5 ms of the
 * engine per step of 1,000). Counting the rows was still about 0.1 ms a turn for a run of 1,000
 * steps (each step's end and the next one's start a turn), so the counts are kept here as the
 * executor writes each transition, and the run's row is read without its definition (the whole
 * workflow). The run's end is counted from the file, as any view counts it.
 */
export class RunSummary {
  private waiting: NodeJS.Immediate | undefined;
  /** The run's steps by status as written so far (committed by the time a summary goes out). */
  private readonly counts = emptyCounts();

  constructor(
    private readonly events: EventBus,
    private readonly repo: RunsRepository,
    private readonly runId: string,
  ) {}

  /** A step of the run as its executor starts, in the status its row holds. */
  counted(status: StepStatus): void {
    countStep(this.counts, status, 1);
  }

  /** A step's transition, as the executor writes it. */
  moved(from: StepStatus, to: StepStatus): void {
    countStep(this.counts, from, -1);
    countStep(this.counts, to, 1);
  }

  /** Something changed: a summary goes out once the current burst of transitions is over. */
  soon(): void {
    if (!this.events.hasListeners('run.updated')) return;
    this.waiting ??= setImmediate(() => this.now(false));
  }

  /** Announces the run as it is now, whatever summary was waiting (its end is announced at once, counted from the file). */
  now(final = true): void {
    clearImmediate(this.waiting);
    this.waiting = undefined;
    if (!this.events.hasListeners('run.updated')) return;
    let row: RunHead | undefined;
    try {
      row = this.repo.getRunHead(this.runId);
      if (row) this.events.emit('run.updated', this.repo.summarize(row, final ? undefined : this.counts));
    } catch {
      // The engine closed its database meanwhile: its end announced the run.
    }
  }
}
