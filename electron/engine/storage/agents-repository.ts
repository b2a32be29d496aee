import type { SqliteDatabase } from './database.js';

export interface AgentRow {
  id: string;
  definition: string;
  createdAt: string;
  updatedAt: string;
}

export interface AgentHistory {
  agentId: string;
  finished: number;
  succeeded: number;
  failed: number;
  totalDurationMs: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export class AgentsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  list(): AgentRow[] {
    return this.db.prepare(`SELECT id, definition, created_at AS createdAt, updated_at AS updatedAt FROM agents ORDER BY id`).all() as AgentRow[];
  }

  get(id: string): AgentRow | undefined {
    return this.db.prepare(`SELECT id, definition, created_at AS createdAt, updated_at AS updatedAt FROM agents WHERE id = ?`).get(id) as
      | AgentRow
      | undefined;
  }

  upsert(row: AgentRow): void {
    this.db
      .prepare(
        `INSERT INTO agents (id, definition, created_at, updated_at) VALUES (@id, @definition, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(row);
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM agents WHERE id = ?`).run(id).changes > 0;
  }

  /** What every agent's (or one agent's) finished attempts add up to: the record its score and panel are built from. */
  histories(agentId?: string): Map<string, AgentHistory> {
    const rows = this.db
      .prepare(
        `SELECT agent_id AS agentId,
                COUNT(*) AS finished,
                SUM(status = 'succeeded') AS succeeded,
                SUM(status IN ('failed', 'timed_out')) AS failed,
                COALESCE(SUM((julianday(finished_at) - julianday(started_at)) * 86400000), 0) AS totalDurationMs,
                COALESCE(SUM(cost_usd), 0) AS costUsd,
                COALESCE(SUM(input_tokens), 0) AS inputTokens,
                COALESCE(SUM(output_tokens), 0) AS outputTokens
           FROM attempts
          WHERE ${agentId === undefined ? 'agent_id IS NOT NULL' : 'agent_id = @agentId'} AND finished_at IS NOT NULL AND status != 'cancelled'
          GROUP BY agent_id`,
      )
      .all(agentId === undefined ? {} : { agentId }) as AgentHistory[];
    return new Map(rows.map((row) => [row.agentId, row]));
  }
}
