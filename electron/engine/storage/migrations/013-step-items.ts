import type { Migration } from './migration.js';

/**
 * Fan-out steps (`forEach`): one row per item, with the item's value (JSON), its state and its own
 * count of attempts, so a run resumed after a crash runs again only the items that did not succeed.
 * An attempt of an item stays in `attempts` (numbered across the step's items, so its log, its
 * temp folder and its process recovery work as any attempt's) and names its item in `item`.
 */
export const migration013: Migration = {
  version: 13,
  name: 'step-items',
  up: `
    CREATE TABLE step_items (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      item INTEGER NOT NULL,
      value TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      output TEXT,
      error TEXT,
      started_at TEXT,
      finished_at TEXT,
      PRIMARY KEY (run_id, step, item),
      FOREIGN KEY (run_id, step) REFERENCES steps (run_id, step) ON DELETE CASCADE
    );

    ALTER TABLE attempts ADD COLUMN item INTEGER;
  `,
};
