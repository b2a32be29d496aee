import type { Migration } from './migration.js';

/**
 * The conversation of an AI step's attempt that ran as an ACP session: the session's state and its
 * entries (messages, plan, tool calls with their diffs), kept with the attempt so the run's page
 * shows them after the engine restarts. JSON columns: the shapes are shared/sessions.ts's.
 */
export const migration010: Migration = {
  version: 10,
  name: 'attempt-sessions',
  up: `
    CREATE TABLE attempt_sessions (
      session_id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      attempt INTEGER NOT NULL,
      info TEXT NOT NULL,
      entries TEXT NOT NULL DEFAULT '[]',
      updated_at TEXT NOT NULL,
      FOREIGN KEY (run_id, step, attempt) REFERENCES attempts (run_id, step, attempt) ON DELETE CASCADE
    );
    CREATE INDEX attempt_sessions_by_attempt ON attempt_sessions (run_id, step, attempt);
  `,
};
