import type { Migration } from './migration.js';

/**
 * The approvals inbox and its rules. Every request stays, answered or not, with who answered it
 * (a person, a rule, a timeout): the record a step shows of what its agent was allowed to do.
 * A run's requests go with the run; a standalone session's have no run. `holder` is the process
 * id of the engine whose session waits for the answer: another Photon (the CLI in a second terminal)
 * hands its answer over through the row, and a holder that is gone means nobody can take one.
 */
export const migration009: Migration = {
  version: 9,
  name: 'approvals',
  up: `
    CREATE TABLE approvals (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      session_id TEXT,
      run_id TEXT REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER,
      agent_name TEXT,
      tool TEXT NOT NULL,
      title TEXT NOT NULL,
      tool_kind TEXT,
      command TEXT,
      diffs TEXT NOT NULL DEFAULT '[]',
      cwd TEXT,
      created_at TEXT NOT NULL,
      answer TEXT,
      answered_by TEXT,
      answered_at TEXT,
      message TEXT,
      holder INTEGER
    );
    CREATE INDEX approvals_by_status ON approvals (status, created_at);
    CREATE INDEX approvals_by_run ON approvals (run_id, step);

    CREATE TABLE approval_rules (
      id TEXT PRIMARY KEY,
      scope TEXT NOT NULL,
      target TEXT NOT NULL,
      position INTEGER NOT NULL,
      match TEXT NOT NULL,
      action TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (scope, target, position)
    );
  `,
};
