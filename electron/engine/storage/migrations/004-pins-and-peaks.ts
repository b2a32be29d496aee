import type { Migration } from './migration.js';

/** Workflows the user pinned (offered first in the tray), and each attempt's resource peaks. */
export const migration004: Migration = {
  version: 4,
  name: 'pins-and-peaks',
  up: `
    ALTER TABLE workflows ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;

    ALTER TABLE attempts ADD COLUMN peak_cpu_percent REAL;
    ALTER TABLE attempts ADD COLUMN peak_rss_bytes INTEGER;
  `,
};
