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

  /** A run's attempts (found by the attempts' primary key). */
  ofRun(runId: string): Spend {
    return this.statements.get(`${sums} WHERE run_id = ?`).get(runId) as Spend;
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
