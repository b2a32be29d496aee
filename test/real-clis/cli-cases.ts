/**
 * What every real CLI is checked for through the real `photon run` (each CLI's own file runs it, so
 * the CLIs' files can run side by side, each against its own stand-in model server): outputs passed
 * on, a file read with the CLI's own tool mid-turn, sessions, cost and tokens as the API reported
 * them, the keys of photon run's own environment, a 500 and a 429 ridden out, a refused key.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failingApiCase } from './failing-api.js';
import { aiStep, apiKey, attemptEvents, photonRun, skipWithoutClis, step, stepDetail, type PhotonRun, type RealCliContext } from './harness.js';
import type { CliName } from './install.js';
import type { ApiName, LoggedRequest } from './model-server/server.js';

export interface CliCase {
  cli: CliName;
  api: ApiName;
  /** The key and endpoint as a user exports them in the shell that runs `photon run`. */
  shellEnv(url: string): Record<string, string>;
  /** The variable the message for a refused key must name (the one the user stored the key as). */
  keyVariable: RegExp;
  /** The session id as the CLI itself printed it. */
  sessionOf(events: Record<string, unknown>[]): string | undefined;
  reportsCost: boolean;
}

export const cases: Record<CliName, CliCase> = {
  claude: { cli: 'claude', api: 'anthropic', shellEnv: (url) => ({ ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: url }), keyVariable: /ANTHROPIC_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'system' && e.subtype === 'init')?.session_id), reportsCost: true },
  codex: { cli: 'codex', api: 'openai', shellEnv: (url) => ({ OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: `${url}/v1` }), keyVariable: /OPENAI_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'thread.started')?.thread_id), reportsCost: false },
  gemini: { cli: 'gemini', api: 'gemini', shellEnv: (url) => ({ GEMINI_API_KEY: apiKey, GOOGLE_GEMINI_BASE_URL: url }), keyVariable: /GEMINI_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'init')?.session_id), reportsCost: false },
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** What the server reported for one test case's successful responses, summed. */
function served(requests: LoggedRequest[]): { input: number; output: number; cacheRead: number; cacheWrite: number } {
  const sum = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const { usage } of requests) {
    if (!usage) continue;
    sum.input += usage.input;
    sum.output += usage.output;
    sum.cacheRead += usage.cacheRead;
    sum.cacheWrite += usage.cacheWrite;
  }
  return sum;
}

/** Claude Code's own cost for the attempt: the sum over its result's modelUsage (every request it made). */
function claudeCost(events: Record<string, unknown>[]): number {
  const result = events.find((e) => e.type === 'result');
  const usage = (result?.modelUsage ?? {}) as Record<string, { costUSD?: number }>;
  return Object.values(usage).reduce((sum, model) => sum + (model.costUSD ?? 0), 0);
}

/**
 * What Photon recorded for a step (its attempt through the engine, and `photon run --json`) against
 * what the CLI printed and what the server reported for the step's requests.
 */
export async function expectRecordedAsServed(context: RealCliContext, c: CliCase, json: PhotonRun['json'], number: number, tag: string): Promise<void> {
  const requests = context.server.requestsOf(tag);
  expect(requests.every((r) => r.status === 200), JSON.stringify(requests)).toBe(true);
  const reported = served(requests);
  const events = attemptEvents(context, json.runId, number);
  const cliSession = c.sessionOf(events);
  const attempt = (await stepDetail(context, json.runId, number)).attemptHistory[0]!;
  const printed = step(json.steps, number);

  expect(cliSession, `step ${number}: the CLI printed no session id`).toBeTruthy();
  expect(attempt.sessionId).toBe(cliSession);
  expect(printed.sessionId).toBe(cliSession);
  const serverSessions = new Set(requests.map((r) => r.session).filter(Boolean));
  if (serverSessions.size > 0) expect([...serverSessions]).toEqual([cliSession]);

  // Input counts every input token, cached ones included; the cached parts are their own figures too.
  expect({ input: attempt.inputTokens, output: attempt.outputTokens, cacheRead: attempt.cacheReadTokens }).toEqual({ input: reported.input, output: reported.output, cacheRead: reported.cacheRead });
  expect(printed.tokens).toMatchObject({ input: reported.input, output: reported.output, cacheRead: reported.cacheRead });
  if (c.api === 'anthropic') {
    expect(attempt.cacheWriteTokens).toBe(reported.cacheWrite);
    expect(printed.tokens).toMatchObject({ cacheWrite: reported.cacheWrite });
  }

  if (c.reportsCost) {
    const cost = claudeCost(events);
    expect(cost).toBeGreaterThan(0);
    expect(attempt.costUsd).toBeCloseTo(cost, 9);
    expect(printed.costUsd).toBeCloseTo(cost, 9);
  } else {
    expect(attempt.costUsd ?? null).toBeNull();
  }
}

export function describeThroughPhotonRun(context: RealCliContext, cli: CliName): void {
  const c = cases[cli];
  describe(`the real ${cli} through photon run`, () => {
    it('passes outputs on, reads a file with its own tool mid-turn, and records the session, cost and tokens the API reported', async (test) => {
      skipWithoutClis(context, test);
      const word = `FILE-SAYS-${cli}-${Date.now().toString(36)}`;
      const notes = join(context.work, `${cli}-notes.txt`);
      writeFileSync(notes, `Notes for the test.\n${word}\n`);
      const read = `${cli}-read`;
      const echo = `${cli}-echo`;
      const { code, json, stderr } = await photonRun(context, `${cli}-chain`, [
        aiStep(1, cli, `[tag:${read}] Please read the file ${notes} and answer with the word in it.`),
        aiStep(2, cli, `[tag:${echo}] reply with: step two got {{steps.1.output}}`, { dependencies: [1] }),
      ]);
      expect(code, stderr.slice(-3000)).toBe(0);
      expect(json.status).toBe('succeeded');

      // The word can only come back through the CLI having run its tool between two requests.
      expect(context.server.requestsOf(read).filter((r) => r.toolCall).length).toBeGreaterThan(0);
      expect(step(json.steps, 1).output).toBe(word);
      expect(step(json.steps, 2).output).toBe(`step two got ${word}`);

      for (const [number, tag] of [[1, read], [2, echo]] as const) await expectRecordedAsServed(context, c, json, number, tag);
    }, 300_000);

    it('runs with the key and endpoint in the environment photon run was started with, and no saved agent', async (test) => {
      skipWithoutClis(context, test);
      const tag = `${cli}-shell-env`;
      const { code, json, stderr } = await photonRun(context, `${cli}-shell-env`, [{ ...aiStep(1, cli, `[tag:${tag}] reply with: from the shell's keys`), agent: 'nobody-saved' }], 280_000, c.shellEnv(context.server.url));
      expect(code, stderr.slice(-3000)).toBe(0);
      expect(step(json.steps, 1).output).toBe(`from the shell's keys`);
      expect(context.server.requestsOf(tag).some((r) => r.status === 200)).toBe(true);
    }, 300_000);

    it('rides out a 500 and a 429 from the API, counting only the answered requests', async (test) => {
      skipWithoutClis(context, test);
      const tags = { 500: `${cli}-500`, 429: `${cli}-429` } as const;
      context.server.inject({ api: c.api, status: 500, times: 1, tag: tags[500] });
      context.server.inject({ api: c.api, status: 429, times: 1, tag: tags[429] });
      try {
        // Either the CLI retries by itself or Photon's policy runs it again; both count as retried.
        const retry = { retryPolicy: { maxAttempts: 2, initialIntervalMs: 500, backoffCoefficient: 1, maxIntervalMs: 500 } };
        const { code, json, stderr } = await photonRun(context, `${cli}-transient`, [
          aiStep(1, cli, `[tag:${tags[500]}] reply with: after a 500`, retry),
          aiStep(2, cli, `[tag:${tags[429]}] reply with: after a 429`, retry),
        ]);
        expect(code, stderr.slice(-3000)).toBe(0);
        for (const [number, status] of [[1, 500], [2, 429]] as const) {
          const requests = context.server.requestsOf(tags[status]);
          expect(requests.map((r) => r.status)).toContain(status);
          const printed = step(json.steps, number);
          expect(printed.status).toBe('succeeded');
          expect(printed.output).toBe(`after a ${status}`);
          const detail = await stepDetail(context, json.runId, number);
          const last = detail.attemptHistory.at(-1)!;
          const reported = served(requests);
          if (detail.attemptHistory.length === 1) expect({ input: last.inputTokens, output: last.outputTokens }).toEqual({ input: reported.input, output: reported.output });
        }
      } finally {
        context.server.clearFaults();
      }
    }, 300_000);

    // Claude Code retries a 401 by itself ten times (about three minutes) and Codex five: Photon stops
    // either at its first report of the refusal, so every CLI's case is quick.
    it('fails a refused key at once, naming the key, and passes no error text on as output', async (test) => {
      skipWithoutClis(context, test);
      const tag = `${cli}-401`;
      context.server.inject({ api: c.api, status: 401, times: Infinity, tag });
      try {
        const { code, json } = await photonRun(context, `${cli}-refused`, [
          aiStep(1, cli, `[tag:${tag}] reply with: never seen`, { continueOnFailure: true, retryPolicy: { maxAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1, maxIntervalMs: 200 } }),
          { step: 2, agent: 'shell', platform: 'shell', action: 'run', inputs: { command: 'printf "after:[%s]" "{{steps.1.output}}"' }, dependencies: [1] },
        ]);
        expect(code).toBe(1);
        const refused = step(json.steps, 1);
        expect(refused.status).toBe('failed');
        expect(refused.attempts).toBe(1);
        expect(refused.error).toMatch(c.keyVariable);
        const refusals = context.server.requestsOf(tag).length;
        expect(refusals).toBeGreaterThan(0);
        // Stopped at the first retry it reported, not after the ten (Claude Code) or five (Codex) it would make.
        if (cli !== 'gemini') expect(refused.error).toMatch(/Photon stopped it at the first refusal/);
        expect(refusals).toBeLessThan(5);
        // A failed step's output is what it produced before failing: no error text for the next step.
        expect(step(json.steps, 2).output).not.toMatch(/401|unauthori[sz]ed|api key|authenticat/i);
        // Gemini CLI writes a crash report on an API error: into the step's own temp folder, removed after it.
        expect(readdirSync(context.tmp).filter((name) => name.startsWith('gemini-'))).toEqual([]);
      } finally {
        context.server.clearFaults();
      }
    }, 300_000);

    // Codex gives up on a failing API within seconds as configured here (failing-api.ts); Claude Code and Gemini CLI take minutes (real-clis.slow.test.ts).
    it.skipIf(cli !== 'codex')('is retried by Photon when the CLI gives up on an API that keeps failing with 500', async (test) => {
      skipWithoutClis(context, test);
      await failingApiCase(context, cli);
    }, 600_000);
  });
}
