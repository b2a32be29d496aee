import type { Migration } from './migration.js';

/**
 * Sub-workflows: a child run names the run, step and attempt that started it, and keeps the inputs
 * that step passed it (JSON, read by its steps as `{{inputs.NAME}}`). The parent finds its step's
 * child by the index, so an engine resuming the parent re-attaches to the child instead of
 * starting a second one.
 */
export const migration014: Migration = {
  version: 14,
  name: 'run-parents',
  up: `
    ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
    ALTER TABLE runs ADD COLUMN parent_step INTEGER;
    ALTER TABLE runs ADD COLUMN parent_attempt INTEGER;
    ALTER TABLE runs ADD COLUMN inputs TEXT;
    CREATE INDEX runs_by_parent ON runs (parent_run_id, parent_step);
  `,
};
