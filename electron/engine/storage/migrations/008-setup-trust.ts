import type { Migration } from './migration.js';

/**
 * Setup scripts the user trusted (a repository's `.photon/setup` or a workflow's
 * `workspace.setup`), each pinned to its repository and the sha256 of its text: a changed script
 * is a new script, and is asked about again.
 */
export const migration008: Migration = {
  version: 8,
  name: 'setup-trust',
  up: `
    CREATE TABLE setup_trust (
      repo TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      source TEXT NOT NULL,
      location TEXT NOT NULL,
      trusted_at TEXT NOT NULL,
      PRIMARY KEY (repo, sha256)
    );
  `,
};
