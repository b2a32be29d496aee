/**
 * The real Claude Code, run by the real `photon run` against the stand-in model server: what a user gets
 * from a workflow (cli-cases.ts), the cost and tokens of a helper agent on a second model, and a
 * timeout while the API keeps failing. `npm run test:real-clis` runs this inside a network namespace
 * with only loopback, so nothing can leave the machine.
 */
import { describe, expect, it } from 'vitest';
import { cases, describeThroughPhotonRun, expectRecordedAsServed } from './cli-cases.js';
import { aiStep, photonRun, skipWithoutClis, step, useRealClis } from './harness.js';

const context = useRealClis();

describeThroughPhotonRun(context, 'claude');

describe('the real Claude Code with a helper agent on a smaller model', () => {
  it('records the tokens and cost of every model the turn used, not only the main loop', async (test) => {
    skipWithoutClis(context, test);
    const tag = 'claude-helper';
    const word = `HELPER-SAYS-${Date.now().toString(36)}`;
    const { code, json, stderr } = await photonRun(context, 'claude-helper', [aiStep(1, 'claude', `[tag:${tag}] ask a helper agent to: [tag:${tag}] reply with: ${word}`)]);
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(step(json.steps, 1).output).toBe(word);
    // Two models served the turn; Claude's result.usage covers only the main loop's.
    expect(new Set(context.server.requestsOf(tag).map((r) => r.model)).size).toBe(2);
    await expectRecordedAsServed(context, cases.claude, json, 1, tag);
  }, 300_000);
});

describe('the real Claude Code timed out while the API keeps failing', () => {
  it('says what it was doing (retrying after HTTP 500) and records the timeout as exit code 124', async (test) => {
    skipWithoutClis(context, test);
    const tag = 'claude-timeout';
    context.server.inject({ api: 'anthropic', status: 500, times: Infinity, tag });
    try {
      // Claude Code retries a 500 for minutes and reports each retry at once, its first about 8 s
      // after photon run started here (load 4); the timeout is what the test waits out, so it is short.
      const { code, json } = await photonRun(context, 'claude-timeout', [aiStep(1, 'claude', `[tag:${tag}] reply with: never seen`, { timeout: 15_000 })]);
      expect(code).toBe(1);
      const timedOut = step(json.steps, 1);
      expect(timedOut.status).toBe('timed_out');
      expect(timedOut.error).toMatch(/timed out/);
      expect(timedOut.error).toMatch(/retrying after HTTP 500/);
      // As README says: 124, as GNU timeout returns, whatever the killed CLI exited with.
      expect(timedOut.exitCode).toBe(124);
    } finally {
      context.server.clearFaults();
    }
  }, 300_000);
});
