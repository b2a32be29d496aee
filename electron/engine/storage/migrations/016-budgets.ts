import type { Migration } from './migration.js';

/**
 * Budgets and the cap on running AI agents. A ready step's `waiting_for` says why it has not
 * started ('budget': a budget waits for the user's OK; 'agent-cap': every agent slot of the engine
 * is taken), so every view, in any process, reads it from the row as it reads the status. An inbox
 * item of kind 'budget' names the budget it asks about (`budget_scope`: the run's, an agent's in the
 * run, or an agent's day), so an Approve given before the engine stopped still counts after a
 * resume. Spend per agent and local day is summed over the attempts by agent and start time.
 * `engine_settings` holds the engine's settings the user changes in the app (the agent cap).
 */
export const migration016: Migration = {
  version: 16,
  name: 'budgets',
  up: `
    ALTER TABLE steps ADD COLUMN waiting_for TEXT;

    ALTER TABLE approvals ADD COLUMN budget_scope TEXT;
    CREATE INDEX approvals_by_budget_scope ON approvals (budget_scope, status) WHERE budget_scope IS NOT NULL;

    CREATE INDEX attempts_by_agent_started ON attempts (agent_id, started_at);

    CREATE TABLE engine_settings (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
