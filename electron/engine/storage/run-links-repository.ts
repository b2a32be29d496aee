import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** The run, step and attempt that started a sub-workflow's run. */
export interface RunParent {
  runId: string;
  step: number;
  attempt: number;
}

/** Makes one write of a run's (`work`), as that run's: see RunsRepository. */
export type RunWrite = (runId: string, work: () => unknown) => void;

/**
 * The links between a sub-workflow step and the child runs it started (columns of `runs`, see
 * migration 014), and the inputs each child was given.
 */
export class RunLinksRepository {
  private readonly statements: StatementCache;

  constructor(
    db: SqliteDatabase,
    private readonly write: RunWrite = (_runId, work) => work(),
  ) {
    this.statements = new StatementCache(db);
  }

  /** Written in the transaction that creates the child run, so a child never exists unlinked. */
  link(childRunId: string, parent: RunParent, inputs: Readonly<Record<string, unknown>>): void {
    const statement = this.statements.get('UPDATE runs SET parent_run_id = ?, parent_step = ?, parent_attempt = ?, inputs = ? WHERE id = ?');
    this.write(childRunId, () => statement.run(parent.runId, parent.step, parent.attempt, JSON.stringify(inputs), childRunId));
  }

  parentOf(runId: string): RunParent | undefined {
    const row = this.statements.get('SELECT parent_run_id AS runId, parent_step AS step, parent_attempt AS attempt FROM runs WHERE id = ?').get(runId) as
      | { runId: string | null; step: number; attempt: number }
      | undefined;
    return row?.runId ? { runId: row.runId, step: row.step, attempt: row.attempt } : undefined;
  }

  /** What its parent's step passed it; empty for a run no step started. */
  inputsOf(runId: string): Record<string, unknown> {
    const text = this.statements.get('SELECT inputs FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** A child taken over by a later attempt of its step (the one before was cut short). */
  moveTo(childRunId: string, attempt: number): void {
    const statement = this.statements.get('UPDATE runs SET parent_attempt = ? WHERE id = ?');
    this.write(childRunId, () => statement.run(attempt, childRunId));
  }

  /** Every child run a step started, the latest attempt's first (a fan-out's items each start theirs). */
  children(parentRunId: string, step: number): { runId: string; attempt: number }[] {
    return this.statements
      .get('SELECT id AS runId, parent_attempt AS attempt FROM runs WHERE parent_run_id = ? AND parent_step = ? ORDER BY parent_attempt DESC, created_at DESC')
      .all(parentRunId, step) as { runId: string; attempt: number }[];
  }

  /** The latest child run a step started, and the attempt that started it. */
  latestChild(parentRunId: string, step: number): { runId: string; attempt: number } | undefined {
    return this.statements
      .get('SELECT id AS runId, parent_attempt AS attempt FROM runs WHERE parent_run_id = ? AND parent_step = ? ORDER BY parent_attempt DESC, created_at DESC LIMIT 1')
      .get(parentRunId, step) as { runId: string; attempt: number } | undefined;
  }
}
