import type { SqliteDatabase } from './database.js';

export interface WorkflowRow {
  id: string;
  name: string;
  definition: string;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
}

const select = `SELECT w.id, w.name, w.definition, w.created_at AS createdAt, w.updated_at AS updatedAt,
  (SELECT MAX(created_at) FROM runs r WHERE r.workflow_id = w.id) AS lastRunAt FROM workflows w`;

export class WorkflowsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  list(): WorkflowRow[] {
    return this.db.prepare(`${select} ORDER BY w.updated_at DESC, w.id`).all() as WorkflowRow[];
  }

  get(id: string): WorkflowRow | undefined {
    return this.db.prepare(`${select} WHERE w.id = ?`).get(id) as WorkflowRow | undefined;
  }

  insert(row: Omit<WorkflowRow, 'lastRunAt'>): void {
    this.db
      .prepare(`INSERT INTO workflows (id, name, definition, created_at, updated_at) VALUES (@id, @name, @definition, @createdAt, @updatedAt)`)
      .run(row);
  }

  update(row: Pick<WorkflowRow, 'id' | 'name' | 'definition' | 'updatedAt'>): boolean {
    return this.db.prepare(`UPDATE workflows SET name = @name, definition = @definition, updated_at = @updatedAt WHERE id = @id`).run(row).changes > 0;
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM workflows WHERE id = ?`).run(id).changes > 0;
  }
}
