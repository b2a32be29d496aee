import type { Migration } from './migration.js';

/**
 * What the user did with a run's result (`outcome`, JSON: merged into which branch and to which
 * commit, or discarded, and when). Merging and discarding remove the run's branches, so without it
 * the run's page went on offering Merge, Open pull request and Discard, each then refused for a
 * branch that no longer exists, and nothing said the run had been merged.
 */
export const migration018: Migration = {
  version: 18,
  name: 'workspace-outcomes',
  up: `
    ALTER TABLE run_workspaces ADD COLUMN outcome TEXT;
  `,
};
