import type { Migration } from './migration.js';

/**
 * Remote hosts by name, with what their connection last said (health), and the remote attempts
 * whose processes are not yet known to be gone: an attempt's mark is kept until the host confirmed
 * that nothing carrying it runs, so an engine that died mid-run stops them before it resumes.
 */
export const migration012: Migration = {
  version: 12,
  name: 'hosts',
  up: `
    CREATE TABLE hosts (
      name TEXT PRIMARY KEY,
      address TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'disconnected',
      latency_ms INTEGER,
      last_error TEXT,
      presented_key TEXT,
      checked_at TEXT,
      created_at TEXT NOT NULL
    );

    CREATE TABLE host_attempts (
      mark TEXT PRIMARY KEY,
      host TEXT NOT NULL,
      owner TEXT NOT NULL,
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      attempt INTEGER NOT NULL,
      started_at TEXT NOT NULL
    );
    CREATE INDEX host_attempts_by_host ON host_attempts (host);
  `,
};
