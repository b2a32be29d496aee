/**
 * The fault cases where a real CLI retries by itself for minutes before it gives up
 * (`npm run test:real-clis:slow`): a refused key with Claude Code, which retries a 401 about ten
 * times, and an API that keeps failing with 500 (Gemini CLI retries it for about five minutes,
 * Claude Code for minutes too), after which Photon's own retry policy decides. Codex gives up
 * within a minute: its case is in real-clis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { aiStep, photonRun, skipWithoutClis, step, useRealClis } from './harness.js';
import { failingApiCase } from './failing-api.js';

const context = useRealClis();

describe('a refused key with the real Claude Code', () => {
  it('fails the step once, naming the key, and passes no error text on as output', async (test) => {
    skipWithoutClis(context, test);
    const tag = 'claude-401';
    context.server.inject({ api: 'anthropic', status: 401, times: Infinity, tag });
    try {
      // Three attempts allowed: a Photon that retried the refusal would take three times as long and say so in attempts.
      const { code, json } = await photonRun(
        context,
        'claude-refused',
        [
          aiStep(1, 'claude', `[tag:${tag}] reply with: never seen`, { continueOnFailure: true, timeout: 600_000, retryPolicy: { maxAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1, maxIntervalMs: 200 } }),
          { step: 2, agent: 'shell', platform: 'shell', action: 'run', inputs: { command: 'printf "after:[%s]" "{{steps.1.output}}"' }, dependencies: [1] },
        ],
        1_500_000,
      );
      expect(code).toBe(1);
      const refused = step(json.steps, 1);
      expect(refused.status).toBe('failed');
      expect(refused.attempts).toBe(1);
      expect(refused.error).toMatch(/ANTHROPIC_API_KEY/);
      expect(step(json.steps, 2).output).not.toMatch(/401|unauthori[sz]ed|api key|authenticat/i);
    } finally {
      context.server.clearFaults();
    }
  }, 1_600_000);
});

describe.each([['claude'], ['gemini']] as const)('an API that keeps failing with 500, for the real %s', (cli) => {
  it('is retried by Photon after the CLI gives up, and the step fails with what the CLI said', async (test) => {
    skipWithoutClis(context, test);
    await failingApiCase(context, cli);
  }, 1_600_000);
});
