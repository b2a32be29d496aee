import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** Money and tokens AI attempts reported, added up: tokens are input (cached included) plus output. */
export interface Spend {
  costUsd: number;
  tokens: number;
}

const sums = `SELECT COALESCE(SUM(cost_usd), 0) AS costUsd, COALESCE(SUM(input_tokens), 0) + COALESCE(SUM(output_tokens), 0) AS tokens FROM attempts`;

/** What runs and agents spent so far, read from their attempts' reports (budgets are checked against it). */
export class SpendRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  /** A run's attempts and those of the sub-workflows it started, theirs included (found by the runs' parent index). */
  ofRun(runId: string): Spend {
    return this.statements
      .get(`WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT r.id FROM runs r JOIN tree t ON r.parent_run_id = t.id) ${sums} WHERE run_id IN (SELECT id FROM tree)`)
      .get(runId) as Spend;
  }

  /** The runs above a sub-workflow's run (its parent, that one's parent...), nearest first, with their definitions. */
  ancestors(runId: string): { id: string; definition: string }[] {
    return this.statements
      .get(
        `WITH RECURSIVE up(id, definition, parent, depth) AS (
           SELECT id, definition, parent_run_id, 0 FROM runs WHERE id = ?
           UNION ALL SELECT r.id, r.definition, r.parent_run_id, up.depth + 1 FROM runs r JOIN up ON r.id = up.parent WHERE up.depth < 64)
         SELECT id, definition FROM up WHERE depth > 0 ORDER BY depth`,
      )
      .all(runId) as { id: string; definition: string }[];
  }

  /** One agent's attempts within a run. */
  ofAgentInRun(agentId: string, runId: string): Spend {
    return this.statements.get(`${sums} WHERE run_id = ? AND agent_id = ?`).get(runId, agentId) as Spend;
  }

  /** One agent's attempts started in [from, to) (ISO 8601 UTC, whose text order is time order), in every run. */
  ofAgentBetween(agentId: string, from: string, to: string): Spend {
    return this.statements.get(`${sums} WHERE agent_id = ? AND started_at >= ? AND started_at < ?`).get(agentId, from, to) as Spend;
  }
}
