import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** One sampled value: a metric, its label (an agent, or '' for none) and when, in epoch milliseconds. */
export interface MetricSampleRow {
  metric: string;
  at: number;
  label: string;
  value: number;
}

export interface MetricRollupRow {
  minute: number;
  label: string;
  count: number;
  sum: number;
}

/** The highest resources an attempt's process tree has reached so far. */
export interface AttemptPeak {
  runId: string;
  step: number;
  attempt: number;
  cpuPercent: number;
  rssBytes: number;
}

/** What a step attempt is labelled by: its run's workflow, the saved agent (if any) and the tool. */
export interface AttemptLabels {
  workflow: string;
  agentId: string | null;
  platform: string;
  /** False while the attempt's row is not written yet (the labels then come from its step). */
  recorded: boolean;
}

/** A counted event: when (ISO 8601), its labels, and its value (1 for a count, dollars, tokens, seconds). */
export interface CounterEventRow {
  at: string;
  workflow: string;
  agent: string;
  tool: string;
  value: number;
}

export type RunEventKind = 'started' | 'succeeded' | 'failed';
export type StepEventKind = 'succeeded' | 'failed';
export type AttemptEventKind = 'duration' | 'retry' | 'timeout' | 'cost' | 'inputTokens' | 'outputTokens';

export interface TodayCounters {
  runsStarted: number;
  runsSucceeded: number;
  runsFailed: number;
  retries: number;
  timeouts: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface CounterTotals {
  runs: { workflow: string; status: string; count: number }[];
  steps: { agent: string; tool: string; status: string; count: number }[];
  retries: { workflow: string; agent: string; tool: string; count: number }[];
  timeouts: { workflow: string; agent: string; tool: string; count: number }[];
  usage: { workflow: string; agent: string; tool: string; costUsd: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }[];
  durations: { tool: string; count: number; sumSeconds: number }[];
}

/**
 * The tool that ran a step: what its attempt recorded, else the platform its run's definition
 * gave the step (attempts written before tools were recorded). COALESCE stops at the first value,
 * so the definition is read only for rows that need it.
 */
const toolOf = (attemptPlatform: string, step: string) =>
  `COALESCE(${attemptPlatform}, (SELECT json_extract(d.value, '$.platform') FROM json_each(r.definition, '$.workflow') AS d WHERE json_extract(d.value, '$.step') = ${step}), 'unknown')`;

/** Attempts with their run and step, labelled; `time` is the column the event happened at. Durations are rounded to the millisecond the times hold. */
const attemptEvents = (time: 'a.started_at' | 'a.finished_at', value: string, where: string) => `
  SELECT at, workflow, COALESCE(agentId, tool) AS agent, tool, value FROM (
    SELECT ${time} AS at, r.workflow_name AS workflow, COALESCE(a.agent_id, s.agent_id) AS agentId, ${toolOf('a.platform', 'a.step')} AS tool, ${value} AS value
      FROM attempts a JOIN runs r ON r.id = a.run_id JOIN steps s ON s.run_id = a.run_id AND s.step = a.step
     WHERE ${time} >= @from AND ${time} <= @to AND ${where})
  ORDER BY at`;

const attemptEventSql: Record<AttemptEventKind, string> = {
  duration: attemptEvents('a.finished_at', `ROUND((julianday(a.finished_at) - julianday(a.started_at)) * 86400.0, 3)`, `a.status IN ('succeeded', 'failed', 'timed_out')`),
  retry: attemptEvents('a.started_at', '1', 'a.attempt > 1'),
  timeout: attemptEvents('a.finished_at', '1', `a.status = 'timed_out'`),
  cost: attemptEvents('a.finished_at', 'a.cost_usd', 'a.cost_usd IS NOT NULL'),
  inputTokens: attemptEvents('a.finished_at', 'a.input_tokens', 'a.input_tokens IS NOT NULL'),
  outputTokens: attemptEvents('a.finished_at', 'a.output_tokens', 'a.output_tokens IS NOT NULL'),
};

/** Every attempt labelled, for all-time totals. */
const labelledAttempts = `
  SELECT workflow, COALESCE(agentId, tool) AS agent, tool, status, attempt, costUsd, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, seconds FROM (
    SELECT r.workflow_name AS workflow, COALESCE(a.agent_id, s.agent_id) AS agentId, ${toolOf('a.platform', 'a.step')} AS tool,
           a.status AS status, a.attempt AS attempt, a.cost_usd AS costUsd, a.input_tokens AS inputTokens, a.output_tokens AS outputTokens,
           a.cache_read_tokens AS cacheReadTokens, a.cache_write_tokens AS cacheWriteTokens,
           CASE WHEN a.finished_at IS NOT NULL AND a.status IN ('succeeded', 'failed', 'timed_out')
                THEN ROUND((julianday(a.finished_at) - julianday(a.started_at)) * 86400.0, 3) END AS seconds
      FROM attempts a JOIN runs r ON r.id = a.run_id JOIN steps s ON s.run_id = a.run_id AND s.step = a.step)`;

/** Every step labelled by its latest attempt (or its definition, for a step that never ran). */
const labelledSteps = (where: string) => `
  SELECT at, workflow, COALESCE(agentId, tool) AS agent, tool, status FROM (
    SELECT s.finished_at AS at, r.workflow_name AS workflow, s.status AS status, COALESCE(a.agent_id, s.agent_id) AS agentId, ${toolOf('a.platform', 's.step')} AS tool
      FROM steps s JOIN runs r ON r.id = s.run_id LEFT JOIN attempts a ON a.run_id = s.run_id AND a.step = s.step AND a.attempt = s.attempts
     WHERE ${where})`;

/**
 * Metrics: sampled values (raw and one-minute rollups, with their retention) and the counts the
 * dashboard and `GET /metrics` read from runs, steps and attempts, which stay the one record of
 * what ran.
 */
export class MetricsRepository {
  private readonly statements: StatementCache;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  /** One tick's samples and the peaks that rose, in one transaction. */
  recordTick(samples: readonly MetricSampleRow[], peaks: readonly AttemptPeak[]): void {
    const insert = this.sql(`INSERT OR REPLACE INTO metric_samples (metric, at, label, value) VALUES (@metric, @at, @label, @value)`);
    const peak = this.sql(
      `UPDATE attempts SET peak_cpu_percent = MAX(COALESCE(peak_cpu_percent, 0), @cpuPercent), peak_rss_bytes = MAX(COALESCE(peak_rss_bytes, 0), @rssBytes)
        WHERE run_id = @runId AND step = @step AND attempt = @attempt`,
    );
    this.db.transaction(() => {
      for (const sample of samples) insert.run(sample);
      for (const row of peaks) peak.run(row);
    })();
  }

  attemptLabels(runId: string, step: number, attempt: number): AttemptLabels | undefined {
    return this.sql(
      `SELECT r.workflow_name AS workflow, COALESCE(a.agent_id, s.agent_id) AS agentId, ${toolOf('a.platform', 's.step')} AS platform, a.attempt IS NOT NULL AS recorded
         FROM runs r JOIN steps s ON s.run_id = r.id AND s.step = @step
         LEFT JOIN attempts a ON a.run_id = r.id AND a.step = @step AND a.attempt = @attempt
        WHERE r.id = @runId`,
    )
      .all({ runId, step, attempt })
      .map((row) => ({ ...(row as AttemptLabels), recorded: Boolean((row as { recorded: number }).recorded) }))[0];
  }

  /** Where the rollups reach: every raw sample before it has been rolled up. Null before the first rollup. */
  rolledUntil(): number | null {
    return (this.sql(`SELECT rolled_until FROM metric_rollup_state WHERE id = 1`).pluck().get() as number | undefined) ?? null;
  }

  /** The earliest raw sample of a metric still kept, if any. */
  oldestSample(metric: string): number | null {
    return (this.sql(`SELECT MIN(at) FROM metric_samples WHERE metric = ?`).pluck().get(metric) as number | null) ?? null;
  }

  /**
   * Adds the raw samples in [from, to) to the one-minute rollups and moves the mark to `to`, in one
   * transaction. `from` and `to` are whole minutes; a minute rolled twice adds up, it is not lost.
   */
  rollUp(metrics: readonly string[], from: number, to: number): void {
    const insert = this.sql(
      `INSERT INTO metric_rollups (metric, minute, label, count, sum, min, max)
       SELECT metric, (at / 60000) * 60000, label, COUNT(*), SUM(value), MIN(value), MAX(value)
         FROM metric_samples WHERE metric = @metric AND at >= @from AND at < @to
        GROUP BY at / 60000, label
       ON CONFLICT (metric, minute, label) DO UPDATE SET
         count = count + excluded.count, sum = sum + excluded.sum, min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
    );
    const mark = this.sql(`INSERT INTO metric_rollup_state (id, rolled_until) VALUES (1, @to) ON CONFLICT (id) DO UPDATE SET rolled_until = excluded.rolled_until`);
    this.db.transaction(() => {
      for (const metric of metrics) insert.run({ metric, from, to });
      mark.run({ to });
    })();
  }

  /** Deletes at most `limit` raw samples of a metric older than `before`; returns how many went. */
  pruneSamples(metric: string, before: number, limit: number): number {
    return this.sql(
      `DELETE FROM metric_samples WHERE (metric, at, label) IN
         (SELECT metric, at, label FROM metric_samples WHERE metric = @metric AND at < @before ORDER BY at LIMIT @limit)`,
    ).run({ metric, before, limit }).changes;
  }

  /** Deletes at most `limit` rollups of a metric for minutes before `before`; returns how many went. */
  pruneRollups(metric: string, before: number, limit: number): number {
    return this.sql(
      `DELETE FROM metric_rollups WHERE (metric, minute, label) IN
         (SELECT metric, minute, label FROM metric_rollups WHERE metric = @metric AND minute < @before ORDER BY minute LIMIT @limit)`,
    ).run({ metric, before, limit }).changes;
  }

  samples(metric: string, from: number, to: number): MetricSampleRow[] {
    return this.sql(`SELECT metric, at, label, value FROM metric_samples WHERE metric = @metric AND at >= @from AND at <= @to ORDER BY at`).all({
      metric,
      from,
      to,
    }) as MetricSampleRow[];
  }

  /** Rollups of the minutes that start in [from, to]. */
  rollups(metric: string, from: number, to: number): MetricRollupRow[] {
    return this.sql(`SELECT minute, label, count, sum FROM metric_rollups WHERE metric = @metric AND minute >= @from AND minute <= @to ORDER BY minute`).all({
      metric,
      from,
      to,
    }) as MetricRollupRow[];
  }

  /** Runs created (`started`) or ended succeeded or failed in [from, to] (ISO 8601). */
  runEvents(kind: RunEventKind, from: string, to: string): { at: string; workflow: string }[] {
    const sql =
      kind === 'started'
        ? `SELECT created_at AS at, workflow_name AS workflow FROM runs WHERE created_at >= @from AND created_at <= @to ORDER BY at`
        : `SELECT finished_at AS at, workflow_name AS workflow FROM runs WHERE finished_at >= @from AND finished_at <= @to AND status = @status ORDER BY at`;
    return this.sql(sql).all(kind === 'started' ? { from, to } : { from, to, status: kind }) as { at: string; workflow: string }[];
  }

  /** Steps whose final status (succeeded; failed or timed out) was reached in [from, to]. */
  stepEvents(kind: StepEventKind, from: string, to: string): CounterEventRow[] {
    const statuses = kind === 'succeeded' ? `('succeeded')` : `('failed', 'timed_out')`;
    return this.sql(`SELECT at, workflow, agent, tool, 1 AS value FROM (${labelledSteps(`s.finished_at >= @from AND s.finished_at <= @to AND s.status IN ${statuses}`)}) ORDER BY at`).all({
      from,
      to,
    }) as CounterEventRow[];
  }

  /** Attempts' events in [from, to]: durations in seconds, retries, timeouts, cost and tokens reported. */
  attemptEvents(kind: AttemptEventKind, from: string, to: string): CounterEventRow[] {
    return this.sql(attemptEventSql[kind]).all({ from, to }) as CounterEventRow[];
  }

  /**
   * Today's counters, read at each sampling tick (every second while anything runs). Today's ended
   * attempts are walked once for all their sums: a scan for each figure walked them six times (with
   * 1,000 attempts today, 1.3 ms of the engine a tick against 0.3 now; either grows with the day).
   */
  today(since: string): TodayCounters {
    return this.sql(
      `SELECT (SELECT COUNT(*) FROM runs WHERE created_at >= @since) AS runsStarted,
              (SELECT COUNT(*) FROM runs WHERE finished_at >= @since AND status = 'succeeded') AS runsSucceeded,
              (SELECT COUNT(*) FROM runs WHERE finished_at >= @since AND status = 'failed') AS runsFailed,
              (SELECT COUNT(*) FROM attempts WHERE started_at >= @since AND attempt > 1) AS retries,
              ended.*
         FROM (SELECT COALESCE(SUM(status = 'timed_out'), 0) AS timeouts, COALESCE(SUM(cost_usd), 0) AS costUsd,
                      COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
                      COALESCE(SUM(cache_read_tokens), 0) AS cacheReadTokens, COALESCE(SUM(cache_write_tokens), 0) AS cacheWriteTokens
                 FROM attempts WHERE finished_at >= @since) AS ended`,
    ).get({ since }) as TodayCounters;
  }

  /** All-time counts by label, read in one transaction so they agree with each other. */
  totals(): CounterTotals {
    return this.db.transaction(() => ({
      runs: this.sql(`SELECT workflow_name AS workflow, status, COUNT(*) AS count FROM runs GROUP BY workflow_name, status ORDER BY 1, 2`).all() as CounterTotals['runs'],
      steps: this.sql(
        `SELECT agent, tool, status, COUNT(*) AS count FROM (${labelledSteps(`s.status IN ('succeeded', 'failed', 'timed_out', 'cancelled', 'skipped')`)})
          GROUP BY agent, tool, status ORDER BY 1, 2, 3`,
      ).all() as CounterTotals['steps'],
      retries: this.sql(`SELECT workflow, agent, tool, COUNT(*) AS count FROM (${labelledAttempts}) WHERE attempt > 1 GROUP BY workflow, agent, tool ORDER BY 1, 2, 3`).all() as CounterTotals['retries'],
      timeouts: this.sql(
        `SELECT workflow, agent, tool, COUNT(*) AS count FROM (${labelledAttempts}) WHERE status = 'timed_out' GROUP BY workflow, agent, tool ORDER BY 1, 2, 3`,
      ).all() as CounterTotals['timeouts'],
      usage: this.sql(
        `SELECT workflow, agent, tool, COALESCE(SUM(costUsd), 0) AS costUsd, COALESCE(SUM(inputTokens), 0) AS inputTokens, COALESCE(SUM(outputTokens), 0) AS outputTokens,
                COALESCE(SUM(cacheReadTokens), 0) AS cacheReadTokens, COALESCE(SUM(cacheWriteTokens), 0) AS cacheWriteTokens
           FROM (${labelledAttempts}) WHERE costUsd IS NOT NULL OR inputTokens IS NOT NULL OR outputTokens IS NOT NULL
          GROUP BY workflow, agent, tool ORDER BY 1, 2, 3`,
      ).all() as CounterTotals['usage'],
      durations: this.sql(
        `SELECT tool, COUNT(*) AS count, SUM(seconds) AS sumSeconds FROM (${labelledAttempts}) WHERE seconds IS NOT NULL GROUP BY tool ORDER BY 1`,
      ).all() as CounterTotals['durations'],
    }))();
  }

  private sql(text: string): Statement<unknown[]> {
    return this.statements.get(text);
  }
}
