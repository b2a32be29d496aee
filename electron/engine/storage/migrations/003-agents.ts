import type { Migration } from './migration.js';

/**
 * Saved agents; which agent ran each step and why; what each attempt of an AI tool reported
 * (session, cost, tokens).
 */
export const migration003: Migration = {
  version: 3,
  name: 'agents',
  up: `
    CREATE TABLE agents (
      id TEXT PRIMARY KEY,
      definition TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    ALTER TABLE steps ADD COLUMN agent_id TEXT;
    ALTER TABLE steps ADD COLUMN agent_note TEXT;

    ALTER TABLE attempts ADD COLUMN agent_id TEXT;
    ALTER TABLE attempts ADD COLUMN platform TEXT;
    ALTER TABLE attempts ADD COLUMN session_id TEXT;
    ALTER TABLE attempts ADD COLUMN cost_usd REAL;
    ALTER TABLE attempts ADD COLUMN input_tokens INTEGER;
    ALTER TABLE attempts ADD COLUMN output_tokens INTEGER;
    CREATE INDEX attempts_by_agent ON attempts (agent_id, status);
  `,
};
