/**
 * One case shared by the fast and the slow file: the model API answers every request with a 500, the
 * CLI retries by itself and gives up, and Photon's retry policy runs the step again. Codex gives up
 * within a minute; Claude Code and Gemini CLI take minutes, so their runs are in the slow file.
 */
import { expect } from 'vitest';
import { aiStep, photonRun, step, stepDetail, type RealCliContext } from './harness.js';
import type { CliName } from './install.js';
import type { ApiName } from './model-server/server.js';

const apis: Record<CliName, ApiName> = { claude: 'anthropic', codex: 'openai', gemini: 'gemini' };

/** What each CLI says when it gives up (Codex words a 500 as high demand). */
const givesUpWith: Record<CliName, RegExp> = { claude: /500|internal server error/i, codex: /high demand|500/i, gemini: /500|INTERNAL/ };

export async function failingApiCase(context: RealCliContext, cli: CliName): Promise<void> {
  const tag = `${cli}-500-always`;
  context.server.inject({ api: apis[cli], status: 500, times: Infinity, tag });
  try {
    const { code, json } = await photonRun(
      context,
      `${cli}-broken-api`,
      [aiStep(1, cli, `[tag:${tag}] reply with: never seen`, { timeout: 600_000, retryPolicy: { maxAttempts: 2, initialIntervalMs: 200, backoffCoefficient: 1, maxIntervalMs: 200 } })],
      1_500_000,
    );
    expect(code).toBe(1);
    const failed = step(json.steps, 1);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(2);
    expect(failed.error).toMatch(givesUpWith[cli]);
    const detail = await stepDetail(context, json.runId, 1);
    expect(detail.attemptHistory.map((a) => a.status)).toEqual(['failed', 'failed']);
    const requests = context.server.requestsOf(tag);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((r) => r.status === 500)).toBe(true);
  } finally {
    context.server.clearFaults();
  }
}
