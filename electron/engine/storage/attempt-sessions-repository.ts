import type { SessionEntry, SessionInfo } from '../../../shared/sessions.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** Where an attempt's session belongs. */
export interface AttemptSessionKey {
  sessionId: string;
  runId: string;
  step: number;
  attempt: number;
}

/**
 * The conversations of attempts that ran as ACP sessions, one row per session: its state and its
 * entries, each as JSON, rewritten whole (the engine bounds a conversation and throttles writes).
 */
export class AttemptSessionsRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  save(key: AttemptSessionKey, info: SessionInfo, entries: readonly SessionEntry[]): void {
    this.statements
      .get(
        `INSERT INTO attempt_sessions (session_id, run_id, step, attempt, info, entries, updated_at) VALUES (@sessionId, @runId, @step, @attempt, @info, @entries, @updatedAt)
         ON CONFLICT (session_id) DO UPDATE SET info = excluded.info, entries = excluded.entries, updated_at = excluded.updated_at`,
      )
      .run({ ...key, info: JSON.stringify(info), entries: JSON.stringify(entries), updatedAt: new Date().toISOString() });
  }

  get(sessionId: string): { info: SessionInfo; entries: SessionEntry[] } | undefined {
    const row = this.statements.get('SELECT info, entries FROM attempt_sessions WHERE session_id = ?').get(sessionId) as { info: string; entries: string } | undefined;
    return row ? { info: JSON.parse(row.info) as SessionInfo, entries: JSON.parse(row.entries) as SessionEntry[] } : undefined;
  }

  /** The state of each session a run's attempts ran as, by step and attempt. */
  forRun(runId: string): SessionInfo[] {
    const rows = this.statements.get('SELECT info FROM attempt_sessions WHERE run_id = ? ORDER BY step, attempt').pluck().all(runId) as string[];
    return rows.map((info) => JSON.parse(info) as SessionInfo);
  }
}
