/**
 * The real Gemini CLI, run by the real `photon run` against the stand-in model server: what a user gets
 * from a workflow (cli-cases.ts), and a timeout while the API keeps failing. `npm run test:real-clis` runs this inside a network namespace
 * with only loopback, so nothing can leave the machine.
 */
import { describe, expect, it } from 'vitest';
import { describeThroughPhotonRun } from './cli-cases.js';
import { aiStep, photonRun, skipWithoutClis, step, useRealClis } from './harness.js';

const context = useRealClis();

describeThroughPhotonRun(context, 'gemini');

describe('the real Gemini CLI timed out while the API keeps failing', () => {
  it('says it was retrying after HTTP 500, which it reports on stderr only, and records exit code 124', async (test) => {
    skipWithoutClis(context, test);
    const tag = 'gemini-timeout';
    context.server.inject({ api: 'gemini', status: 500, times: Infinity, tag });
    try {
      // Gemini CLI retries a 500 for about five minutes; it reports its first retry within about 10 s
      // of starting here, its start being slow (--version alone takes 7 s), so the timeout leaves twice that.
      const { code, json } = await photonRun(context, 'gemini-timeout', [aiStep(1, 'gemini', `[tag:${tag}] reply with: never seen`, { timeout: 20_000 })]);
      expect(code).toBe(1);
      const timedOut = step(json.steps, 1);
      expect(timedOut.status).toBe('timed_out');
      expect(timedOut.error).toMatch(/^timed out after 20000 ms; Gemini CLI was retrying after HTTP 500, attempt \d+$/);
      expect(timedOut.exitCode).toBe(124);
    } finally {
      context.server.clearFaults();
    }
  }, 300_000);
});
