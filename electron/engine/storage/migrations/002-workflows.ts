import type { Migration } from './migration.js';

/** Saved workflows, and which saved workflow a run came from (none for a file run by the CLI). */
export const migration002: Migration = {
  version: 2,
  name: 'workflows',
  up: `
    CREATE TABLE workflows (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX workflows_by_updated ON workflows (updated_at DESC);

    ALTER TABLE runs ADD COLUMN workflow_id TEXT REFERENCES workflows (id) ON DELETE SET NULL;
    CREATE INDEX runs_by_workflow ON runs (workflow_id, created_at DESC);
  `,
};
