import type { Migration } from './migration.js';

/**
 * Sampled metrics: raw samples (kept a day) and their one-minute rollups (kept a month), and how
 * far the rollups reach. Counters and durations are not stored here: they are counted from runs,
 * steps and attempts, which the indexes below let those counts find by time.
 */
export const migration005: Migration = {
  version: 5,
  name: 'metrics',
  up: `
    CREATE TABLE metric_samples (
      metric TEXT NOT NULL,
      at INTEGER NOT NULL,
      label TEXT NOT NULL DEFAULT '',
      value REAL NOT NULL,
      PRIMARY KEY (metric, at, label)
    ) WITHOUT ROWID;

    CREATE TABLE metric_rollups (
      metric TEXT NOT NULL,
      minute INTEGER NOT NULL,
      label TEXT NOT NULL DEFAULT '',
      count INTEGER NOT NULL,
      sum REAL NOT NULL,
      min REAL NOT NULL,
      max REAL NOT NULL,
      PRIMARY KEY (metric, minute, label)
    ) WITHOUT ROWID;

    CREATE TABLE metric_rollup_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      rolled_until INTEGER NOT NULL
    );

    CREATE INDEX runs_by_finished ON runs (finished_at);
    CREATE INDEX steps_by_finished ON steps (finished_at);
    CREATE INDEX attempts_by_started ON attempts (started_at);
    CREATE INDEX attempts_by_finished ON attempts (finished_at);
  `,
};
