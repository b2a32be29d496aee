/**
 * One case shared by the fast and the slow file: the model API answers every request with a 500, the
 * CLI retries by itself and gives up, and Photon's retry policy runs the step again. Codex gives up
 * within seconds with the few retries this case configures; Claude Code and Gemini CLI take minutes,
 * so their runs are in the slow file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { aiStep, photonRun, step, stepDetail, type RealCliContext } from './harness.js';
import type { CliName } from './install.js';
import type { ApiName } from './model-server/server.js';

const apis: Record<CliName, ApiName> = { claude: 'anthropic', codex: 'openai', gemini: 'gemini' };

/** What each CLI says when it gives up (Codex words a 500 as high demand). */
const givesUpWith: Record<CliName, RegExp> = { claude: /500|internal server error/i, codex: /high demand|500/i, gemini: /500|INTERNAL/ };

/**
 * Codex with a Codex home whose config gives up after one retry of a request and one reconnect of a
 * stream (its defaults, 4 and 5, multiply to about 30 requests and 30 s an attempt). Built-in
 * providers cannot be overridden, so the stand-in server is a provider of the config's own; the key
 * is still the CODEX_API_KEY Photon sets from the saved agent's OPENAI_API_KEY.
 */
function codexGivingUpSoon(context: RealCliContext): Record<string, string> {
  const home = join(context.home, 'codex-few-retries');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.toml'),
    [
      'model_provider = "standin"',
      '[model_providers.standin]',
      'name = "stand-in"',
      `base_url = ${JSON.stringify(`${context.server.url}/v1`)}`,
      'env_key = "CODEX_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 1',
      'stream_max_retries = 1',
      '',
    ].join('\n'),
  );
  return { CODEX_HOME: home };
}

export async function failingApiCase(context: RealCliContext, cli: CliName): Promise<void> {
  const tag = `${cli}-500-always`;
  context.server.inject({ api: apis[cli], status: 500, times: Infinity, tag });
  try {
    const { code, json } = await photonRun(
      context,
      `${cli}-broken-api`,
      [aiStep(1, cli, `[tag:${tag}] reply with: never seen`, { timeout: 600_000, retryPolicy: { maxAttempts: 2, initialIntervalMs: 200, backoffCoefficient: 1, maxIntervalMs: 200 } })],
      1_500_000,
      cli === 'codex' ? codexGivingUpSoon(context) : {},
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
