/**
 * How an AI step's attempt is prepared and finished, against stand-ins that behave as the real
 * CLIs were seen to (claude-code 2.1.197, codex 0.171, gemini-cli 0.61): refused credentials are
 * not retried and say which key to check; a failed step's output is what it produced, its error
 * apart; a timeout says what the tool was doing and records exit code 124; each attempt gets a
 * temp folder under the run's data that is gone afterwards; cached tokens are kept.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';

function aiStep(step: number, platform: string, prompt: string, extra: Record<string, unknown> = {}) {
  return { step, platform, inputs: { prompt }, dependencies: [] as number[], ...extra };
}

const retryThrice = { retryPolicy: { maxAttempts: 3, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 } };

async function runToEnd(sandbox: StandInSandbox, steps: Record<string, unknown>[]): Promise<RunDetail> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'AI attempts', workflow: steps }, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

describe('credentials the server refuses', () => {
  const sandbox = useStandInSandbox('auth-failures', { env: { ANTHROPIC_API_KEY: 'sk-ant-wrong', CODEX_API_KEY: 'sk-wrong', GEMINI_API_KEY: 'g-wrong', GEMINI_CLI_TRUST_WORKSPACE: 'true' } });

  it('are not retried, and the error says which variable held the key; the next step gets what the failed one produced', async () => {
    const detail = await runToEnd(sandbox.current, [
      aiStep(1, 'claude-code', 'Review [[standin:auth]]', { ...retryThrice, continueOnFailure: true }),
      aiStep(2, 'codex', 'Fix [[standin:auth]]', retryThrice),
      aiStep(3, 'gemini', 'Explain [[standin:auth]]', retryThrice),
      { step: 4, platform: 'shell', inputs: { command: "printf 'got:[%s]' '{{steps.1.output}}'" }, dependencies: [1] },
    ]);
    const [claude, codex, gemini] = [stepOf(detail, 1), stepOf(detail, 2), stepOf(detail, 3)];
    for (const step of [claude, codex, gemini]) expect(step).toMatchObject({ status: 'failed', attempts: 1 });
    // Stopped at their first retry of the refusal (see refused-while-retrying.test.ts).
    expect(claude.error).toMatch(/^Claude Code's credentials were refused \(HTTP 401, authentication failed\).*Authentication failed, not retried: check the key in ANTHROPIC_API_KEY /);
    expect(codex.error).toMatch(/401 Unauthorized.*Authentication failed, not retried: check the key in CODEX_API_KEY /);
    expect(gemini.error).toMatch(/HTTP 401 from the API: the key was refused.*Authentication failed, not retried: check the key in GEMINI_API_KEY /);
    // The 401 text is the error, not what the step produced.
    expect(claude.output).toBe('');
    expect(stepOf(detail, 4).output).toBe('got:[]');
  });
});

describe("Codex with the names a user stores, in the user's own environment", () => {
  const sandbox = useStandInSandbox('codex-keys', { env: { OPENAI_API_KEY: 'sk-from-shell', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });

  it('runs: the key reaches CODEX_API_KEY and the endpoint openai_base_url, which 0.171 reads', async () => {
    const detail = await runToEnd(sandbox.current, [aiStep(1, 'codex', 'Summarise')]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Codex received: Summarise' });
    const codexRun = sandbox.current.runs().find((run) => run.tool === 'codex') as { baseUrl?: string } | undefined;
    expect(codexRun?.baseUrl).toBe('http://127.0.0.1:9/v1');
  });
});

describe('a step that could not start', () => {
  const sandbox = useStandInSandbox('never-started', { tools: ['claude'] });

  it('passes no error text on as its output: the reason is its error', async () => {
    const detail = await runToEnd(sandbox.current, [
      aiStep(1, 'codex', 'Summarise', { continueOnFailure: true }),
      { step: 2, platform: 'shell', inputs: { command: "printf 'got:[%s]' '{{steps.1.output}}'" }, dependencies: [1] },
    ]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', output: '', error: expect.stringMatching(/^Codex is not installed/) });
    expect(stepOf(detail, 2).output).toBe('got:[]');
  });
});

describe('a timed-out AI step', () => {
  // All three tools at once: under the default cap (this machine's cores, 2 in CI) the third waited
  // for a slot, and the test for two timeouts one after the other.
  const sandbox = useStandInSandbox('ai-timeout', {
    env: { ANTHROPIC_API_KEY: 'sk-ant-1', CODEX_API_KEY: 'sk-1', GEMINI_API_KEY: 'g-1', GEMINI_CLI_TRUST_WORKSPACE: 'true' },
    engine: { maxAgents: 3 },
  });

  it('says what the tool was doing last and records exit code 124, not the 0 a tool exits with on SIGTERM', async () => {
    const detail = await runToEnd(sandbox.current, [
      aiStep(1, 'claude-code', 'Review [[standin:retrying]]', { timeout: 2500 }),
      aiStep(2, 'codex', 'Fix [[standin:retrying]]', { timeout: 2500 }),
      aiStep(3, 'gemini', 'Explain [[standin:retrying]]', { timeout: 2500 }),
    ]);
    const claude = stepOf(detail, 1);
    expect(claude).toMatchObject({ status: 'timed_out', exitCode: 124 });
    expect(claude.error).toMatch(/^timed out after 2500 ms; Claude Code was retrying after HTTP 500 \(server error\), attempt \d+ of 10$/);
    expect(stepOf(detail, 2).error).toMatch(/^timed out after 2500 ms; Codex was reporting "Reconnecting\.\.\. \d+\/5 /);
    // Gemini CLI reports its retries on stderr only: not "waiting for the model to answer".
    expect(stepOf(detail, 3).error).toMatch(/^timed out after 2500 ms; Gemini CLI was retrying after HTTP 500, attempt \d+$/);
    const attempt = (await sandbox.current.engine.call('steps.get', { runId: detail.runId, step: 1 })).attemptHistory[0]!;
    expect(attempt).toMatchObject({ status: 'timed_out', exitCode: 124 });
  });
});

describe('a retry policy that names exit code 124', () => {
  const sandbox = useStandInSandbox('timeout-not-retried');

  it('does not retry a timed-out step, whose attempt records 124', async () => {
    const detail = await runToEnd(sandbox.current, [
      { step: 1, platform: 'shell', inputs: { command: 'sleep 30' }, dependencies: [], timeout: 1000, retryPolicy: { ...retryThrice.retryPolicy, nonRetryableExitCodes: [124] } },
    ]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'timed_out', attempts: 1, exitCode: 124, error: 'timed out after 1000 ms' });
  });
});

describe("each attempt's temp folder", () => {
  const sandbox = useStandInSandbox('attempt-temp', { env: { GEMINI_API_KEY: 'g-1' } });

  it('is under the run data, is where a tool writes its crash reports, and is removed when the attempt ends', async () => {
    const detail = await runToEnd(sandbox.current, [
      { step: 1, platform: 'shell', inputs: { command: 'echo "$TMPDIR" > tmpdir.txt && touch "$TMPDIR/left-behind"' }, dependencies: [] },
      aiStep(2, 'gemini', 'Crash [[standin:crash]]'),
    ]);
    expect(stepOf(detail, 2).status).toBe('failed');
    const runData = join(sandbox.current.dataDir, 'runs', detail.runId);
    expect(readFileSync(join(sandbox.current.work, 'tmpdir.txt'), 'utf8').trim()).toBe(join(runData, 'step-1.attempt-1.tmp'));
    // Only the logs stay (step 1 printed nothing: it has none): the folders, the file the step left
    // and Gemini's crash report are gone.
    expect(readdirSync(runData)).toEqual(['step-2']);
    expect(readdirSync(join(runData, 'step-2'))).toEqual(['attempt-1.log']);
  });
});

describe('Gemini CLI with a custom endpoint (GOOGLE_GEMINI_BASE_URL)', () => {
  const sandbox = useStandInSandbox('gemini-gateway', { env: { GEMINI_API_KEY: 'g-1', GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9/gateway' } });

  it("runs: the attempt's own Gemini home selects the API key, keeping the user's settings and leaving their file untouched", async () => {
    const userGemini = join(sandbox.current.root, '.gemini');
    mkdirSync(userGemini);
    // No auth choice of their own: 0.61 would pick "gateway" from the variable and exit 41.
    const userSettings = JSON.stringify({ model: { name: 'gemini-2.5-flash' }, ui: { theme: 'GitHub' } });
    writeFileSync(join(userGemini, 'settings.json'), userSettings);
    writeFileSync(join(userGemini, 'GEMINI.md'), 'Be brief.');
    const detail = await runToEnd(sandbox.current, [
      aiStep(1, 'gemini', 'Hello'),
      { step: 2, platform: 'shell', inputs: { command: 'cat "$GEMINI_CLI_HOME/.gemini/settings.json" 2>&1; echo; cat "$GEMINI_CLI_HOME/.gemini/GEMINI.md" 2>&1 || true' }, dependencies: [] },
    ]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Gemini CLI received: Hello' });
    const geminiRun = sandbox.current.runs().find((run) => run.tool === 'gemini')!;
    expect(geminiRun.env.GEMINI_CLI_HOME).toMatch(new RegExp(`^${sandbox.current.dataDir}/runs/${detail.runId}/step-1\\.attempt-1\\.tmp/gemini-home$`));
    expect(existsSync(geminiRun.env.GEMINI_CLI_HOME as string)).toBe(false);
    expect(readFileSync(join(userGemini, 'settings.json'), 'utf8')).toBe(userSettings);
    // A shell step gets no Gemini home: only a Gemini attempt with a custom endpoint does.
    expect(stepOf(detail, 2).output).toMatch(/No such file/);
  });
});

describe('tokens read from and written to a prompt cache', () => {
  const sandbox = useStandInSandbox('cached-tokens', { env: { ANTHROPIC_API_KEY: 'sk-ant-1', CODEX_API_KEY: 'sk-1' } });

  it('are kept per attempt and added up per step and for the day, beside the cost and the session', async () => {
    const before = (await sandbox.current.engine.call('metrics.snapshot', undefined)).today;
    const detail = await runToEnd(sandbox.current, [aiStep(1, 'claude-code', 'Count'), aiStep(2, 'codex', 'Count')]);
    // While something runs the snapshot is sampled once a second: the next sample counts the run.
    const cached = async () => {
      const { today } = await sandbox.current.engine.call('metrics.snapshot', undefined);
      return [today.cacheReadTokens - before.cacheReadTokens, today.cacheWriteTokens - before.cacheWriteTokens];
    };
    await expect.poll(cached, { timeout: 10_000 }).toEqual([800 + 1024, 100]);
    const claude = await sandbox.current.engine.call('steps.get', { runId: detail.runId, step: 1 });
    expect(claude.attemptHistory[0]).toMatchObject({ inputTokens: 2250, outputTokens: 350, cacheReadTokens: 800, cacheWriteTokens: 100, costUsd: 0.0123 });
    expect(claude).toMatchObject({ costUsd: 0.0123, tokens: { input: 2250, output: 350, cacheRead: 800, cacheWrite: 100 } });
    expect(claude.sessionId).toBe(claude.attemptHistory[0]!.sessionId);
    expect(stepOf(detail, 2)).toMatchObject({ costUsd: null, tokens: { input: 2400, output: 310, cacheRead: 1024, cacheWrite: null } });
  });
});
