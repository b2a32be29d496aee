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
    const row = this.statements.get(`${selectWithAttempt}, s.entries FROM attempt_sessions s ${joinAttempt} WHERE s.session_id = ?`).get(sessionId) as (SessionRow & { entries: string }) | undefined;
    return row ? { info: infoOf(row), entries: JSON.parse(row.entries) as SessionEntry[] } : undefined;
  }

  /** The state of each session a run's attempts ran as, by step and attempt. */
  forRun(runId: string): SessionInfo[] {
    const rows = this.statements.get(`${selectWithAttempt} FROM attempt_sessions s ${joinAttempt} WHERE s.run_id = ? ORDER BY s.step, s.attempt`).all(runId) as SessionRow[];
    return rows.map(infoOf);
  }
}

interface SessionRow {
  info: string;
  attemptStatus: string | null;
  attemptError: string | null;
}

const selectWithAttempt = 'SELECT s.info, a.status AS attemptStatus, a.error AS attemptError';
const joinAttempt = 'LEFT JOIN attempts a ON a.run_id = s.run_id AND a.step = s.step AND a.attempt = s.attempt';

/**
 * The stored state, unless its attempt ended without the session saying so (the engine running it
 * died): then it ended with the attempt, for the attempt's reason. An attempt still running may be
 * held by another Photon on the same data (a `photon run`), so its session is left as it is.
 */
function infoOf(row: SessionRow): SessionInfo {
  const info = JSON.parse(row.info) as SessionInfo;
  const live = info.status !== 'ended' && info.status !== 'failed';
  if (!live || row.attemptStatus === null || row.attemptStatus === 'running') return info;
  return { ...info, status: 'failed', error: info.error ?? row.attemptError ?? 'its attempt ended without it' };
}
