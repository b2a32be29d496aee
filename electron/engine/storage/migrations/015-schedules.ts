import type { Migration } from './migration.js';

/**
 * Schedules and triggers of saved workflows (they go with their workflow), and what started a run
 * when it was not a person. A schedule keeps its next fire time, so an engine that starts after it
 * passed knows the schedule was missed; a webhook keeps only its secret's hash; `last_error` says
 * why the latest firing could not start a run.
 */
export const migration015: Migration = {
  version: 15,
  name: 'schedules',
  up: `
    CREATE TABLE schedules (
      id TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      cron TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      catch_up INTEGER NOT NULL DEFAULT 0,
      enabled INTEGER NOT NULL DEFAULT 1,
      next_fire_at TEXT,
      last_fired_at TEXT,
      last_run_id TEXT,
      last_error TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (workflow_id, name)
    );

    CREATE TABLE triggers (
      id TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('file', 'webhook')),
      path TEXT,
      debounce_ms INTEGER,
      secret_hash TEXT,
      enabled INTEGER NOT NULL DEFAULT 1,
      last_fired_at TEXT,
      last_run_id TEXT,
      last_error TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (workflow_id, name)
    );

    ALTER TABLE runs ADD COLUMN trigger_kind TEXT;
    ALTER TABLE runs ADD COLUMN trigger_name TEXT;
  `,
};
