/**
 * The fault cases where a real CLI retries by itself for minutes before it gives up
 * (`npm run test:real-clis:slow`): an API that keeps failing with 500 (Gemini CLI retries it for
 * about five minutes, Claude Code for minutes too), after which Photon's own retry policy decides.
 * Codex gives up within seconds with the retries failing-api.ts gives it, and a refused key is
 * stopped at the CLI's first retry of it: those cases are in cli-cases.ts, which each CLI's file runs.
 */
import { describe, it } from 'vitest';
import { skipWithoutClis, useRealClis } from './harness.js';
import { failingApiCase } from './failing-api.js';

const context = useRealClis();

describe.each([['claude'], ['gemini']] as const)('an API that keeps failing with 500, for the real %s', (cli) => {
  it('is retried by Photon after the CLI gives up, and the step fails with what the CLI said', async (test) => {
    skipWithoutClis(context, test);
    await failingApiCase(context, cli);
  }, 1_600_000);
});
