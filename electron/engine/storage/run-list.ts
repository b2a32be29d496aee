/**
 * A page of run summaries (history, `runs.list`, the REST API's operations) in two statements
 * whatever its size. A summary needs none of a run's definition, its largest column by far, which a
 * `SELECT *` carried through the sort and past every skipped row of a deep page (with 10,000 runs,
 * a page 9,000 deep read 9,000 definitions: 50 ms, now 1.5); and the page's step counts come from
 * one grouped read of the steps by their primary key, not one query (and one for its parent) per
 * run (a page of 200 made 400). A page read again before the database changed comes from
 * run-page-cache.ts.
 */
import type { RunStatus, RunSummary, StepCounts, StepStatus } from '../../../shared/runs.js';
import { cachedPage } from './run-page-cache.js';
import type { StatementCache } from './statement-cache.js';

/** Which runs a list holds besides its workflow: any of these statuses, created in since..until (epoch ms), after `offset`. */
export interface RunFilter {
  status?: readonly RunStatus[];
  since?: number;
  until?: number;
  offset?: number;
}

interface SummaryRow {
  id: string;
  workflowId: string | null;
  workflowName: string;
  status: RunStatus;
  concurrency: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  triggerKind: 'schedule' | 'file' | 'webhook' | null;
  triggerName: string | null;
  parentRunId: string | null;
  parentStep: number | null;
}

const summarySelect = `SELECT id, workflow_id AS workflowId, workflow_name AS workflowName, status, concurrency, created_at AS createdAt,
  started_at AS startedAt, finished_at AS finishedAt, trigger_kind AS triggerKind, trigger_name AS triggerName,
  parent_run_id AS parentRunId, parent_step AS parentStep FROM runs`;

export function emptyCounts(): StepCounts {
  return { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
}

/** Adds `n` steps of `status` to the counts, in the buckets a summary shows. */
export function countStep(counts: StepCounts, status: StepStatus, n: number): void {
  counts.total += n;
  if (status === 'pending') counts.pending += n;
  else if (status === 'running' || status === 'retrying') counts.running += n;
  else if (status === 'succeeded') counts.succeeded += n;
  else if (status === 'failed' || status === 'timed_out') counts.failed += n;
  else if (status === 'skipped') counts.skipped += n;
  else counts.cancelled += n;
}

/** A page of runs, newest first; the same (frozen) array while the database is unchanged. */
export function listRunSummaries(statements: StatementCache, limit: number, workflowId: string | undefined, filter: RunFilter): RunSummary[] {
  const key = JSON.stringify([limit, workflowId ?? null, filter.status ?? null, filter.since ?? null, filter.until ?? null, filter.offset ?? 0]);
  return cachedPage(statements, key, () => readPage(statements, limit, workflowId, filter));
}

function readPage(statements: StatementCache, limit: number, workflowId: string | undefined, filter: RunFilter): RunSummary[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  const add = (condition: string, ...given: (string | number)[]) => {
    where.push(condition);
    values.push(...given);
  };
  if (workflowId !== undefined) add('workflow_id = ?', workflowId);
  if (filter.status) add(`status IN (${filter.status.map(() => '?').join(', ')})`, ...filter.status);
  // created_at is ISO 8601 in UTC with milliseconds, so text order is time order.
  if (filter.since !== undefined) add('created_at >= ?', new Date(filter.since).toISOString());
  if (filter.until !== undefined) add('created_at < ?', new Date(filter.until).toISOString());
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')} ` : '';
  // The page is found on the index of creation times alone (it holds each row's rowid, the tie-break:
  // runs made in the same millisecond, newest first), so the rows skipped to reach a deep page are
  // never read; only the page's own rows are. The statement text varies only with which filters
  // are given, so the cache stays small.
  const order = 'ORDER BY created_at DESC, rowid DESC';
  const rows = statements
    .get(`${summarySelect} WHERE rowid IN (SELECT rowid FROM runs ${clause}${order} LIMIT ? OFFSET ?) ${order}`)
    .all(...values, limit, filter.offset ?? 0) as SummaryRow[];
  const counts = countsOf(
    statements,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    runId: row.id,
    workflowId: row.workflowId,
    workflowName: row.workflowName,
    status: row.status,
    concurrency: row.concurrency,
    ...(row.parentRunId !== null && row.parentStep !== null ? { parent: { runId: row.parentRunId, step: row.parentStep } } : {}),
    ...(row.triggerKind && row.triggerName ? { trigger: { kind: row.triggerKind, name: row.triggerName } } : {}),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    counts: counts.get(row.id) ?? emptyCounts(),
  }));
}

function countsOf(statements: StatementCache, runIds: readonly string[]): Map<string, StepCounts> {
  const counts = new Map<string, StepCounts>();
  if (runIds.length === 0) return counts;
  // One statement for any page size: the ids as one JSON parameter, each looked up by the steps' primary key.
  const rows = statements
    .get(`SELECT run_id AS runId, status, COUNT(*) AS n FROM steps WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id, status`)
    .all(JSON.stringify(runIds)) as { runId: string; status: StepStatus; n: number }[];
  for (const { runId, status, n } of rows) {
    let run = counts.get(runId);
    if (!run) counts.set(runId, (run = emptyCounts()));
    countStep(run, status, n);
  }
  return counts;
}
