import type { Migration } from './migration.js';

/**
 * API keys and the audit log. A key is kept as its scrypt hash with its own salt, found by its
 * prefix (not secret, unique for ever: a revoked key's prefix is never reused, so an old log line
 * names one key). A name is unique among the active keys only, so "ci" can be revoked and made
 * again. The audit log is append-only apart from its retention, which removes the oldest rows.
 */
export const migration011: Migration = {
  version: 11,
  name: 'api-keys-and-audit',
  up: `
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prefix TEXT NOT NULL UNIQUE,
      salt BLOB NOT NULL,
      hash BLOB NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('read', 'run', 'admin')),
      created_at TEXT NOT NULL,
      expires_at TEXT,
      revoked_at TEXT,
      last_used_at TEXT,
      last_used_from TEXT
    );
    CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      key_id TEXT,
      key_name TEXT,
      key_prefix TEXT,
      scope TEXT,
      address TEXT,
      target TEXT,
      detail TEXT NOT NULL
    );
    CREATE INDEX audit_log_by_time ON audit_log (at);
  `,
};
