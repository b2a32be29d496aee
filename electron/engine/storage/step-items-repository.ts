import type { ItemStatus } from '../../../shared/runs.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';
import type { RunWrite } from './run-links-repository.js';

/** One item of a fan-out step as stored; `value` is its JSON text. */
export interface StepItemRow {
  runId: string;
  step: number;
  item: number;
  value: string;
  status: ItemStatus;
  attempts: number;
  output: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export type StepItemPatch = Partial<Pick<StepItemRow, 'status' | 'attempts' | 'output' | 'error' | 'startedAt' | 'finishedAt'>>;

const columns: Record<keyof StepItemPatch, string> = {
  status: 'status',
  attempts: 'attempts',
  output: 'output',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

const select = `SELECT run_id AS runId, step, item, value, status, attempts, output, error, started_at AS startedAt, finished_at AS finishedAt FROM step_items`;

/**
 * The items of fan-out steps. Writes join the caller's transaction (the executor writes an item,
 * its attempt and its step together), so none is announced before all are stored.
 */
export class StepItemsRepository {
  private readonly statements: StatementCache;

  /** `write`: how a run's write is made (in the turn's transaction, as that run's: turn-transaction.ts). */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly write: RunWrite = (_runId, work) => work(),
  ) {
    this.statements = new StatementCache(db);
  }

  list(runId: string, step: number): StepItemRow[] {
    return this.statements.get(`${select} WHERE run_id = ? AND step = ? ORDER BY item`).all(runId, step) as StepItemRow[];
  }

  /** A step's list, replacing whatever list it had (a resumed step whose list changed starts its items again). */
  replace(runId: string, step: number, values: readonly string[]): void {
    const insert = this.statements.get(`INSERT INTO step_items (run_id, step, item, value) VALUES (?, ?, ?, ?)`);
    this.write(runId, () =>
      this.db.transaction(() => {
        this.statements.get(`DELETE FROM step_items WHERE run_id = ? AND step = ?`).run(runId, step);
        values.forEach((value, item) => insert.run(runId, step, item, value));
      })(),
    );
  }

  /** A step's items go (its attempts stay, naming the items they ran). */
  clear(runId: string, step: number): void {
    this.write(runId, () => this.statements.get(`DELETE FROM step_items WHERE run_id = ? AND step = ?`).run(runId, step));
  }

  update(runId: string, step: number, item: number, patch: StepItemPatch): void {
    const fields = (Object.keys(patch) as (keyof StepItemPatch)[]).filter((field) => field in columns);
    if (fields.length === 0) return;
    const assignments = fields.map((field) => `${columns[field]} = @${field}`).join(', ');
    const statement = this.statements.get(`UPDATE step_items SET ${assignments} WHERE run_id = @runId AND step = @step AND item = @item`);
    this.write(runId, () => statement.run({ ...patch, runId, step, item }));
  }

  /** Items an engine left running or waiting to retry when it stopped: pending, to run again when their run resumes. */
  interrupt(runId: string): void {
    const statement = this.statements.get(`UPDATE step_items SET status = 'pending' WHERE run_id = ? AND status IN ('running', 'retrying')`);
    this.write(runId, () => statement.run(runId));
  }
}
