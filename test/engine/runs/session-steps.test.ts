/**
 * AI steps that run as ACP sessions, through the run's attempt pipeline: the tool registry finds
 * the ACP adapter on the PATH (here `claude-agent-acp` is the stand-in ACP agent, since the real
 * one needs its vendor's network), the step's prompt is one turn, the final message its output,
 * the usage its cost and tokens, the conversation kept with the attempt; timeouts, retries and
 * cancel apply as to any step, with real processes.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { RunDetail } from '../../../shared/runs.js';
import type { SessionEntry } from '../../../shared/sessions.js';
import { makeTempDir, removeDir, startEngine, stepOf, waitUntil } from '../helpers.js';
import { standInAgent } from '../sessions/stand-in.js';
import { markedProcesses } from './marked-processes.js';

let root: string;
let work: string;
let dataDir: string;
let bin: string;
let engine: Engine;
const approvals: ApprovalItem[] = [];
const entries = new Map<string, SessionEntry[]>();

async function openEngine(): Promise<Engine> {
  const opened = await startEngine(dataDir, { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, loginShell: false });
  opened.on('approval.updated', (item) => approvals.push(item));
  opened.on('session.entry', ({ sessionId, index, entry }) => {
    const list = entries.get(sessionId) ?? [];
    list[index] = entry;
    entries.set(sessionId, list);
  });
  return opened;
}

beforeEach(async () => {
  root = makeTempDir('session-steps');
  work = join(root, 'work');
  dataDir = join(root, 'data');
  bin = join(root, 'bin');
  mkdirSync(work);
  mkdirSync(bin);
  // Flags from the agent's environment, so a saved agent can ask the stand-in for a child of its own.
  const adapter = join(bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" $STANDIN_FLAGS "$@"\n`);
  chmodSync(adapter, 0o755);
  approvals.length = 0;
  entries.clear();
  engine = await openEngine();
});
afterEach(async () => {
  await engine.close();
  removeDir(root);
});

function aiStep(step: number, prompt: string, extra: Record<string, unknown> = {}) {
  return { step, platform: 'claude-code', inputs: { prompt }, dependencies: [] as number[], ...extra };
}

async function start(steps: Record<string, unknown>[]): Promise<string> {
  const { runId } = await engine.call('runs.start', { workflow: { name: 'session steps', workflow: steps }, baseDir: work });
  return runId;
}

async function runToEnd(steps: Record<string, unknown>[]): Promise<RunDetail> {
  const runId = await start(steps);
  await engine.waitForRun(runId);
  return engine.call('runs.get', { runId });
}

describe('an AI step run as an ACP session', () => {
  it("passes its final message to dependent steps, records cost and tokens, and keeps its conversation with the attempt, readable after a restart", async () => {
    const detail = await runToEnd([
      aiStep(1, 'hello'),
      aiStep(2, 'relay {{steps.1.output}}', { dependencies: [1] }),
      { step: 3, platform: 'shell', inputs: { command: "printf 'got:[%s]' '{{steps.2.output}}'" }, dependencies: [2] },
    ]);
    expect(detail.status).toBe('succeeded');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Hello there', costUsd: 0.0042, tokens: { input: 120, output: 30, cacheRead: 10 } });
    expect(stepOf(detail, 2).output).toBe('you said: relay Hello there');
    expect(stepOf(detail, 3).output).toBe('got:[you said: relay Hello there]');
    // The attempt's log holds the conversation as text, as a terminal step's holds its output.
    const step1 = await engine.call('steps.get', { runId: detail.runId, step: 1 });
    expect(step1.attemptHistory[0]).toMatchObject({ status: 'succeeded', platform: 'claude-code', exitCode: 0 });
    expect(step1.attemptHistory[0]!.tail).toContain('Hello there');

    const listed = await engine.call('sessions.list', { runId: detail.runId });
    expect(listed.map((info) => [info.stepId, info.status, info.tool])).toEqual([
      ['1', 'ended', 'claude-code'],
      ['2', 'ended', 'claude-code'],
    ]);
    const expectConversation = (found: SessionEntry[]) => {
      expect(found).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'message', role: 'user', text: 'hello' }),
          expect.objectContaining({ type: 'plan', entries: [expect.objectContaining({ content: 'Say hello', status: 'completed' })] }),
          expect.objectContaining({ type: 'message', role: 'agent', text: 'Hello there' }),
        ]),
      );
    };
    expectConversation((await engine.call('sessions.get', { id: listed[0]!.id })).entries);
    // The events carried the same conversation while it ran.
    expectConversation(entries.get(listed[0]!.id) ?? []);

    await engine.close();
    engine = await openEngine();
    const again = await engine.call('sessions.list', { runId: detail.runId });
    expect(again.map((info) => info.id)).toEqual(listed.map((info) => info.id));
    const stored = await engine.call('sessions.get', { id: listed[0]!.id });
    expect(stored.info).toMatchObject({ runId: detail.runId, stepId: '1', status: 'ended', usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0042 } });
    expectConversation(stored.entries);
  });

  it('sends its permission request to the inbox with the run and step; allowed there, the edit is made and the step succeeds', async () => {
    const file = join(work, 'notes.txt');
    const runId = await start([aiStep(1, `edit ${file} allowed text`)]);
    await waitUntil(() => approvals.some((a) => a.status === 'waiting'), 'the request in the inbox', 30_000);
    const waiting = approvals.find((a) => a.status === 'waiting')!;
    expect(waiting).toMatchObject({ runId, step: 1, tool: 'claude-code', toolKind: 'edit', title: `Edit ${file}`, cwd: work });
    const [answer] = await engine.call('approvals.answer', { ids: [waiting.id], answer: 'once' });
    expect(answer).toMatchObject({ ok: true });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: `Edited ${file}.` });
    expect(readFileSync(file, 'utf8')).toBe('allowed text\n');
    const [info] = await engine.call('sessions.list', { runId });
    const call = (await engine.call('sessions.get', { id: info!.id })).entries.find((e) => e.type === 'tool_call');
    expect(call).toMatchObject({ call: { kind: 'edit', status: 'completed', diffs: [{ path: file, oldText: null, newText: 'allowed text\n' }] } });
  });

  it('fails with the reason when its permission request is left unanswered until the step times out', async () => {
    const file = join(work, 'never.txt');
    const detail = await runToEnd([aiStep(1, `edit ${file} never`, { timeout: 3000 })]);
    const step = stepOf(detail, 1);
    expect(step.status).toBe('timed_out');
    expect(step.error).toBe(`timed out after 3000 ms; the permission request "Edit ${file}" was not answered in time (photon approvals lists it)`);
    expect(existsSync(file)).toBe(false);
    // The request expired with the step, and its record says so.
    const record = await engine.call('approvals.list', { runId: detail.runId });
    expect(record).toMatchObject([{ status: 'expired', answeredBy: 'timeout', message: "not answered within the step's timeout (3 s): the step timed out" }]);
    expect(markedProcesses(detail.runId)).toEqual([]);
  });

  it('fails an attempt whose agent crashes mid-turn, with the reason, and the retry succeeds', async () => {
    const marker = join(root, 'crashed-once');
    const detail = await runToEnd([aiStep(1, `crash-once ${marker}`, { retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } })]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 2, output: 'recovered' });
    const { attemptHistory } = await engine.call('steps.get', { runId: detail.runId, step: 1 });
    expect(attemptHistory.map((a) => a.status)).toEqual(['failed', 'succeeded']);
    expect(attemptHistory[0]!.error).toBe('the agent exited with code 3');
    // Each attempt was its own session, kept with it.
    const sessions = await engine.call('sessions.list', { runId: detail.runId });
    expect(sessions.map((s) => s.status)).toEqual(['failed', 'ended']);
  });

  it('fails an attempt whose agent writes something that is not JSON-RPC, and retries it per the policy', async () => {
    const detail = await runToEnd([aiStep(1, 'garbage', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } })]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', attempts: 2, error: 'the agent wrote something that is not JSON-RPC: "this is not json"' });
    expect(markedProcesses(detail.runId)).toEqual([]);
  });

  it('cancelled mid-turn: the turn is cancelled over ACP, then the agent and what it started are stopped', async () => {
    await engine.call('agents.save', { agent: { id: 'ticker', name: 'Ticker', tool: 'claude-code', env: { STANDIN_FLAGS: '--child' } } });
    const runId = await start([aiStep(1, 'slow', { agent: 'ticker' })]);
    await waitUntil(() => [...entries.values()].some((list) => list.some((e) => e?.type === 'message' && e.role === 'agent' && e.text.includes('tick 2'))), 'the turn to stream', 30_000);
    // The agent and its own child (a `sleep`) both carry the attempt's marks.
    await waitUntil(() => markedProcesses(runId).length >= 2, 'the agent and its child');
    expect(await engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    const detail = await engine.call('runs.get', { runId });
    expect(detail.status).toBe('cancelled');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'cancelled', error: 'cancelled' });
    expect(markedProcesses(runId)).toEqual([]);
    // The agent was asked to stop its turn before it was stopped: it ended the turn as cancelled.
    const [info] = await engine.call('sessions.list', { runId });
    const stored = await engine.call('sessions.get', { id: info!.id });
    expect(stored.entries.at(-1)).toMatchObject({ type: 'turn_end', stopReason: 'cancelled' });
  });

  it("gives the agent its variables and keychain secrets, and keeps the secret's value out of the output, the conversation and the log", async () => {
    const secret = 'sk-live-STEP-4b7e0c91aa';
    await engine.call('secrets.set', { name: 'step-token', value: secret });
    await engine.call('agents.save', { agent: { id: 'deployer', name: 'Deployer', tool: 'claude-code', env: { DEPLOY_REGION: 'eu-west-3' }, secrets: [{ secret: 'step-token', variable: 'STEP_TOKEN' }] } });
    const detail = await runToEnd([aiStep(1, 'env STEP_TOKEN', { agent: 'deployer' }), aiStep(2, 'env DEPLOY_REGION', { agent: 'deployer' })]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'STEP_TOKEN=[secret step-token]' });
    expect(stepOf(detail, 2).output).toBe('DEPLOY_REGION=eu-west-3');
    const [info] = await engine.call('sessions.list', { runId: detail.runId });
    expect(info).toMatchObject({ agentName: 'Deployer', stepId: '1' });
    const kept = JSON.stringify(await engine.call('sessions.get', { id: info!.id }));
    expect(kept).toContain('[secret step-token]');
    expect(kept).not.toContain(secret);
    const { attemptHistory } = await engine.call('steps.get', { runId: detail.runId, step: 1 });
    expect(attemptHistory[0]!.tail).not.toContain(secret);
  });

  it('takes a follow-up from the run page while its turn runs, answered before the step ends; Stop turn fails the attempt saying so', async () => {
    const file = join(work, 'later.txt');
    const runId = await start([aiStep(1, `edit ${file} first`), aiStep(2, 'slow')]);
    await waitUntil(() => approvals.some((a) => a.status === 'waiting'), 'the request in the inbox', 30_000);
    const [asking, ticking] = await engine.call('sessions.list', { runId });
    const queued = await engine.call('sessions.send', { id: asking!.id, text: 'and then this' });
    expect(queued.queued).toEqual(['and then this']);
    await engine.call('approvals.answer', { ids: [approvals.find((a) => a.status === 'waiting')!.id], answer: 'once' });

    await waitUntil(() => (entries.get(ticking!.id) ?? []).some((e) => e?.type === 'message' && e.role === 'agent' && e.text.includes('tick 1')), 'the second step to stream', 30_000);
    await expect(engine.call('sessions.close', { id: ticking!.id })).rejects.toThrow(`session ${ticking!.id} is a run step's: it ends with its step; cancel the run (runs.cancel) to stop it`);
    await engine.call('sessions.cancel', { id: ticking!.id });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'you said: and then this' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', error: 'its turn was stopped from the run page (Stop turn)' });
    await expect(engine.call('sessions.send', { id: asking!.id, text: 'too late' })).rejects.toThrow(`session ${asking!.id} has ended with its step (ended); resume the run to run the step again`);
  });

  it('runs headless when the step says so, and falls back to headless, saying why, when the ACP adapter is missing', async () => {
    const headless = await runToEnd([aiStep(1, 'hello', { mode: 'headless' })]);
    // No `claude` CLI here: the headless attempt fails for want of it, and no session was made.
    expect(stepOf(headless, 1).error).toMatch(/claude/i);
    expect(await engine.call('sessions.list', { runId: headless.runId })).toEqual([]);

    const fallback = await runToEnd([{ step: 1, platform: 'cursor', inputs: { prompt: 'hello' }, dependencies: [], mode: 'session' }]);
    expect(stepOf(fallback, 1).error).toMatch(/^cursor has no ACP mode, so this step runs headless, but: Cursor agent is not installed/);
  });
});
