import type { Migration } from './migration.js';

/** Runs, their steps and every attempt of each step. */
export const migration001: Migration = {
  version: 1,
  name: 'runs',
  up: `
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      workflow_name TEXT NOT NULL,
      definition TEXT NOT NULL,
      status TEXT NOT NULL,
      concurrency INTEGER NOT NULL,
      base_dir TEXT NOT NULL,
      owner TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT
    );
    CREATE INDEX runs_by_created ON runs (created_at DESC);
    CREATE INDEX runs_by_status ON runs (status);

    CREATE TABLE steps (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      exit_code INTEGER,
      started_at TEXT,
      finished_at TEXT,
      output TEXT,
      error TEXT,
      next_attempt_at TEXT,
      PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID;

    CREATE TABLE attempts (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      attempt INTEGER NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      exit_code INTEGER,
      signal TEXT,
      error TEXT,
      process TEXT,
      output_path TEXT NOT NULL,
      tail TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (run_id, step, attempt),
      FOREIGN KEY (run_id, step) REFERENCES steps (run_id, step) ON DELETE CASCADE
    ) WITHOUT ROWID;
  `,
};
