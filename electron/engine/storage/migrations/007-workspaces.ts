import type { Migration } from './migration.js';

/**
 * Workspaces (git worktrees): a run's base and result branch, and each attempt's worktree, branch,
 * starting and resulting commits and the size of its change, so review, prune and the UI can find
 * every worktree and branch Photon made, and resume can reuse them.
 */
export const migration007: Migration = {
  version: 7,
  name: 'workspaces',
  up: `
    CREATE TABLE run_workspaces (
      run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      repo TEXT NOT NULL,
      base_ref TEXT NOT NULL,
      base_commit TEXT NOT NULL,
      branch TEXT NOT NULL,
      result_commit TEXT,
      files_changed INTEGER,
      lines_added INTEGER,
      lines_removed INTEGER,
      error TEXT,
      notes TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL
    );

    CREATE TABLE step_workspaces (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      attempt INTEGER NOT NULL,
      repo TEXT NOT NULL,
      path TEXT NOT NULL,
      branch TEXT NOT NULL,
      state TEXT NOT NULL,
      base_commit TEXT NOT NULL,
      result_commit TEXT,
      files_changed INTEGER,
      lines_added INTEGER,
      lines_removed INTEGER,
      conflicts TEXT NOT NULL DEFAULT '[]',
      port_base INTEGER,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, step, attempt),
      FOREIGN KEY (run_id, step, attempt) REFERENCES attempts (run_id, step, attempt) ON DELETE CASCADE
    );
    CREATE INDEX step_workspaces_repo ON step_workspaces (repo);
  `,
};
