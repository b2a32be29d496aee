import type { StepReadRow } from './runs-repository.js';

/**
 * The rows of plain steps (a shell step with no agent and no items: no session, usage, child run
 * or item counts can exist for it) as this connection wrote them, for a run's announcements: each
 * turn that changes a step announces it as stored, and reading the row back cost a statement per
 * turn (about 0.05 ms of a step of a big workflow). A row is known from the INSERT that made it or
 * the first read of it, and takes each write to it once that write has run; one the file might not
 * hold is dropped (the stretch it was written in was refused, or rolled back by an error), and is
 * read again. A run's rows go when it stops running.
 */
export class PlainStepRows {
  private readonly runs = new Map<string, Map<number, StepReadRow>>();

  /** New rows as their INSERT makes them: pending, nothing else set. */
  inserted(runId: string, steps: readonly number[]): void {
    const rows = this.rowsOf(runId);
    for (const step of steps) rows.set(step, pendingRow(runId, step));
  }

  /** A row as read from the file. */
  read(row: StepReadRow): void {
    this.rowsOf(row.runId).set(row.step, { ...row });
  }

  get(runId: string, step: number): StepReadRow | undefined {
    const row = this.runs.get(runId)?.get(step);
    return row && { ...row };
  }

  /** A write to the row has run: a known row takes the written fields (named as the row's). */
  written(runId: string, step: number, fields: readonly string[], values: Readonly<Record<string, unknown>>): void {
    const row = this.runs.get(runId)?.get(step) as Record<string, unknown> | undefined;
    if (!row) return;
    for (const field of fields) row[field] = values[field];
  }

  deleted(runId: string, steps: readonly number[]): void {
    const rows = this.runs.get(runId);
    for (const step of steps) rows?.delete(step);
  }

  forget(runId: string): void {
    this.runs.delete(runId);
  }

  /** What the file holds is not known any more (a stretch of writes lost): every row is read again. */
  clear(): void {
    this.runs.clear();
  }

  private rowsOf(runId: string): Map<number, StepReadRow> {
    let rows = this.runs.get(runId);
    if (!rows) this.runs.set(runId, (rows = new Map()));
    return rows;
  }
}

/** A step's row as `INSERT INTO steps (run_id, step, status) VALUES (?, ?, 'pending')` makes it, read with the plain select. */
function pendingRow(runId: string, step: number): StepReadRow {
  return {
    runId,
    step,
    status: 'pending',
    attempts: 0,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    output: null,
    error: null,
    nextAttemptAt: null,
    agentId: null,
    agentNote: null,
    waitingFor: null,
    sessionId: null,
    costUsd: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    childRunId: null,
    itemCounts: null,
  };
}
