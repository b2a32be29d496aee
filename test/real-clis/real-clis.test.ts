/**
 * The real Claude Code, Codex and Gemini CLI, run by the real `photon run` against the stand-in
 * model server: what a user gets from a workflow (outputs passed on, sessions, cost and tokens as
 * the API reported them, a tool used mid-turn) and what each fault does. `npm run test:real-clis`
 * runs this inside a network namespace with only loopback, so nothing can leave the machine.
 */
import { connect } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failingApiCase } from './failing-api.js';
import { aiStep, apiKey, attemptEvents, photonRun, skipWithoutClis, step, stepDetail, useRealClis, type PhotonRun } from './harness.js';
import type { CliName } from './install.js';
import type { ApiName, LoggedRequest } from './model-server/server.js';

const context = useRealClis();

interface CliCase {
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

const cases: CliCase[] = [
  { cli: 'claude', api: 'anthropic', shellEnv: (url) => ({ ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: url }), keyVariable: /ANTHROPIC_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'system' && e.subtype === 'init')?.session_id), reportsCost: true },
  { cli: 'codex', api: 'openai', shellEnv: (url) => ({ OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: `${url}/v1` }), keyVariable: /OPENAI_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'thread.started')?.thread_id), reportsCost: false },
  { cli: 'gemini', api: 'gemini', shellEnv: (url) => ({ GEMINI_API_KEY: apiKey, GOOGLE_GEMINI_BASE_URL: url }), keyVariable: /GEMINI_API_KEY/, sessionOf: (events) => str(events.find((e) => e.type === 'init')?.session_id), reportsCost: false },
];

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
async function expectRecordedAsServed(c: CliCase, json: PhotonRun['json'], number: number, tag: string): Promise<void> {
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

describe('the network namespace', () => {
  it('leaves nothing but loopback to the CLIs', async (test) => {
    if (process.env.PHOTON_REAL_CLIS_NETNS !== '1') return test.skip(`not inside a network namespace: ${process.env.PHOTON_REAL_CLIS_NETNS_REASON ?? 'run through npm run test:real-clis'}`);
    const failure = await new Promise<string>((resolve) => {
      const socket = connect({ host: '1.1.1.1', port: 443, timeout: 10_000 });
      socket.on('connect', () => resolve('connected'));
      socket.on('timeout', () => resolve('timeout'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(failure).toBe('ENETUNREACH');
  });
});

describe.each(cases.map((c) => [c.cli, c] as const))('the real %s through photon run', (cli, c) => {
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

    for (const [number, tag] of [[1, read], [2, echo]] as const) await expectRecordedAsServed(c, json, number, tag);
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
    await expectRecordedAsServed(cases[0]!, json, 1, tag);
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
