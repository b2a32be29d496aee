import type { SqliteDatabase } from './database.js';

export interface WorkflowRow {
  id: string;
  name: string;
  definition: string;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  pinned: boolean;
}

const select = `SELECT w.id, w.name, w.definition, w.created_at AS createdAt, w.updated_at AS updatedAt, w.pinned,
  (SELECT MAX(created_at) FROM runs r WHERE r.workflow_id = w.id) AS lastRunAt FROM workflows w`;

type StoredRow = Omit<WorkflowRow, 'pinned'> & { pinned: number };
const fromStored = (row: StoredRow): WorkflowRow => ({ ...row, pinned: row.pinned === 1 });

export class WorkflowsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  list(): WorkflowRow[] {
    return (this.db.prepare(`${select} ORDER BY w.updated_at DESC, w.id`).all() as StoredRow[]).map(fromStored);
  }

  get(id: string): WorkflowRow | undefined {
    const row = this.db.prepare(`${select} WHERE w.id = ?`).get(id) as StoredRow | undefined;
    return row && fromStored(row);
  }

  insert(row: Omit<WorkflowRow, 'lastRunAt' | 'pinned'>): void {
    this.db
      .prepare(`INSERT INTO workflows (id, name, definition, created_at, updated_at) VALUES (@id, @name, @definition, @createdAt, @updatedAt)`)
      .run(row);
  }

  update(row: Pick<WorkflowRow, 'id' | 'name' | 'definition' | 'updatedAt'>): boolean {
    return this.db.prepare(`UPDATE workflows SET name = @name, definition = @definition, updated_at = @updatedAt WHERE id = @id`).run(row).changes > 0;
  }

  setPinned(id: string, pinned: boolean): boolean {
    return this.db.prepare(`UPDATE workflows SET pinned = ? WHERE id = ?`).run(pinned ? 1 : 0, id).changes > 0;
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM workflows WHERE id = ?`).run(id).changes > 0;
  }
}
