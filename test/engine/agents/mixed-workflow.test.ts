/**
 * A mixed workflow end to end: a shell step, then Claude Code, Codex and Gemini CLI steps (stand-ins
 * replaying each tool's real output format, found by the engine's own detection), then a shell step
 * again. It proves the argv each tool got, its environment (an agent's variables in, empty ones
 * out), outputs passed between steps as the tools' final messages, cost and token capture, and the
 * agent notes written into the run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/api.js';
import type { AgentStats } from '../../../shared/agents.js';
import type { RunDetail, StepDetail } from '../../../shared/runs.js';
import { removeDir, stepOf } from '../helpers.js';
import { createStandInSandbox, type StandInRun, type StandInSandbox } from './stand-in-engine.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let sandbox: StandInSandbox;
let analystFolder: string;
const events: EventEnvelope[] = [];

function workflow() {
  return {
    name: 'Mixed tools',
    workflow: [
      { step: 1, platform: 'shell', inputs: { command: 'echo "hello from shell"' }, dependencies: [] },
      { step: 2, label: 'Review', platform: 'claude-code', agent: 'reviewer', inputs: { prompt: 'Review: {{steps.1.output}}' }, dependencies: [1] },
      { step: 3, platform: 'codex', agent: 'auto', requires: ['code-analysis'], inputs: { prompt: 'Summarise: {{steps.2.output}}' }, dependencies: [2] },
      // The specification's seed style: an action and inputs, no prompt; an agent name nobody saved.
      { step: 4, platform: 'gemini', agent: 'agent-d', action: 'analyze-code-quality', inputs: { codebase: 'latest' }, dependencies: [1] },
      { step: 5, platform: 'shell', inputs: { command: "echo 'final: {{steps.3.output}}'" }, dependencies: [3, 4] },
    ],
  };
}

async function runWorkflow(): Promise<{ runId: string; detail: RunDetail; stand: StandInRun[] }> {
  const before = sandbox.runs().length;
  const { runId } = await sandbox.engine.call('runs.start', { workflow: workflow(), baseDir: sandbox.work });
  expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
  return { runId, detail: await sandbox.engine.call('runs.get', { runId }), stand: sandbox.runs().slice(before) };
}

let first: Awaited<ReturnType<typeof runWorkflow>>;

beforeAll(async () => {
  sandbox = await createStandInSandbox('mixed', {
    env: {
      // Signed in as after an interactive login, so a tool without a key from its agent still works,
      // and empty keys in the user's environment that must never reach a tool.
      PHOTON_STANDIN_LOGGED_IN: '1',
      ANTHROPIC_API_KEY: '',
      OPENAI_API_KEY: '',
    },
  });
  sandbox.engine.onAny((envelope) => events.push(envelope));
  analystFolder = join(sandbox.work, 'analysis');
  mkdirSync(analystFolder);
  await sandbox.engine.call('agents.save', {
    agent: {
      id: 'reviewer',
      name: 'Reviewer',
      tool: 'claude-code',
      model: 'claude-sonnet-4-5',
      autonomy: 'auto-edit',
      capabilities: ['code-review'],
      env: { ANTHROPIC_AUTH_TOKEN: 'reviewer-token-1', ANTHROPIC_API_KEY: '', REVIEW_STYLE: 'terse' },
    },
  });
  await sandbox.engine.call('agents.save', {
    agent: { id: 'analyst', name: 'Analyst', tool: 'codex', model: 'gpt-5-codex', autonomy: 'full', cwd: analystFolder, capabilities: ['code-analysis', 'refactoring'] },
  });
  await sandbox.engine.call('agents.save', { agent: { id: 'writer', name: 'Writer', tool: 'codex', capabilities: ['docs'] } });
  first = await runWorkflow();
}, 60_000);

afterAll(async () => {
  await sandbox?.engine.close();
  if (sandbox) removeDir(sandbox.root);
});

describe('a mixed workflow of shell, Claude Code, Codex and Gemini CLI steps', () => {
  it('passes each tool its final message on, never its JSON', () => {
    const { detail } = first;
    expect(stepOf(detail, 1).output).toBe('hello from shell');
    expect(stepOf(detail, 2).output).toBe('Claude Code received: Review: hello from shell');
    expect(stepOf(detail, 3).output).toBe('Codex received: Summarise: Claude Code received: Review: hello from shell');
    expect(stepOf(detail, 5).output).toBe('final: Codex received: Summarise: Claude Code received: Review: hello from shell');
    // The seed-style step got a prompt composed from its action and inputs.
    const seeded = stepOf(detail, 4).output!;
    expect(seeded).toMatch(/^Gemini CLI received: Perform the action "analyze-code-quality" \(analyze code quality\)/);
    expect(seeded).toContain('codebase: latest');
    for (const step of detail.steps) expect(step.output).not.toMatch(/"type":|session_id/);
  });

  it('runs each tool with the argv its adapter builds from the agent: model, autonomy, structured output', () => {
    const byTool = new Map(first.stand.map((run) => [run.tool, run]));
    expect(first.stand.map((run) => run.tool).sort()).toEqual(['claude', 'codex', 'gemini']);
    expect(byTool.get('claude')!.argv).toEqual([
      '-p',
      'Review: hello from shell',
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      'claude-sonnet-4-5',
      '--permission-mode',
      'acceptEdits',
    ]);
    expect(byTool.get('codex')!.argv).toEqual([
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--model',
      'gpt-5-codex',
      '--sandbox',
      'danger-full-access',
      'Summarise: Claude Code received: Review: hello from shell',
    ]);
    // No saved agent: the tool's defaults (no model, no autonomy flag).
    const gemini = byTool.get('gemini')!.argv;
    expect(gemini.slice(0, 1)).toEqual(['-p']);
    expect(gemini.slice(2)).toEqual(['--output-format', 'stream-json']);
  });

  it("gives each tool its agent's variables and folder, and never an empty key", () => {
    const byTool = new Map(first.stand.map((run) => [run.tool, run]));
    const claude = byTool.get('claude')!;
    expect(claude.env.ANTHROPIC_AUTH_TOKEN).toEqual({ set: true, sha256: sha256('reviewer-token-1') });
    // Empty in the user's environment and in the agent's: not passed at all (it would override a login).
    expect(claude.env).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(byTool.get('codex')!.env).not.toHaveProperty('OPENAI_API_KEY');
    expect(claude.env.PHOTON_RUN_ID).toBe(first.runId);
    expect(claude.env.PHOTON_STEP).toBe('2');
    expect(claude.cwd).toBe(sandbox.work);
    // The analyst's default folder, since the step names none.
    expect(byTool.get('codex')!.cwd).toBe(analystFolder);
    expect(byTool.get('gemini')!.env.GEMINI_CLI_TRUST_WORKSPACE).toBe('true');
  });

  it('records the session, cost and tokens each tool reported, in steps.get and runs.timeline', async () => {
    const step2 = await sandbox.engine.call('steps.get', { runId: first.runId, step: 2 });
    expect(step2.attemptHistory).toHaveLength(1);
    expect(step2.attemptHistory[0]).toMatchObject({
      status: 'succeeded',
      agentId: 'reviewer',
      platform: 'claude-code',
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      costUsd: 0.0123,
      // Every request (modelUsage): the main loop, whose cache reads (800) and writes (100) Anthropic
      // counts apart from its input_tokens (1200), and the session title (150 in, 10 out).
      inputTokens: 2250,
      outputTokens: 350,
      cacheReadTokens: 800,
      cacheWriteTokens: 100,
    });
    const step3: StepDetail = await sandbox.engine.call('steps.get', { runId: first.runId, step: 3 });
    expect(step3.attemptHistory[0]).toMatchObject({ agentId: 'analyst', platform: 'codex', costUsd: null, inputTokens: 2400, outputTokens: 310 });
    expect(step3.attemptHistory[0]!.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const timeline = await sandbox.engine.call('runs.timeline', { runId: first.runId });
    const gemini = timeline.attempts.find((a) => a.step === 4)!;
    expect(gemini).toMatchObject({ agentId: null, platform: 'gemini', costUsd: null, inputTokens: 1500, outputTokens: 200, title: 'analyze-code-quality' });
    expect(timeline.attempts.find((a) => a.step === 1)).toMatchObject({ platform: 'shell', costUsd: null, inputTokens: null, sessionId: null });
  });

  it('writes into the run which agent ran each step and why', () => {
    const { detail } = first;
    expect(stepOf(detail, 2)).toMatchObject({ agentId: 'reviewer', agentNote: 'agent "reviewer" (Reviewer) with claude-code' });
    const auto = stepOf(detail, 3);
    expect(auto.agentId).toBe('analyst');
    expect(auto.agentNote).toMatch(/^picked agent "analyst" \(score [\d.]+: capabilities 1\/1 \(code-analysis\)/);
    // The reviewer (a perfect record from step 2) and the writer lack the capability: they are not
    // candidates at all, so no runner-up is named.
    expect(auto.agentNote).toMatch(/location local\)$/);
    expect(auto.agentNote).not.toMatch(/reviewer|writer/);
    expect(stepOf(detail, 4)).toMatchObject({ agentId: null, agentNote: '"agent-d" is not a saved agent: ran gemini with its default settings' });
    expect(stepOf(detail, 1)).toMatchObject({ agentId: null, agentNote: null });
  });

  it("adds up each agent's steps, cost and tokens across runs, and announces its changes", async () => {
    const second = await runWorkflow();
    expect(stepOf(second.detail, 2).output).toBe('Claude Code received: Review: hello from shell');
    const stats = await sandbox.engine.call('agents.stats', undefined);
    const reviewer = stats.find((s) => s.agentId === 'reviewer')!;
    expect(reviewer).toMatchObject({ status: 'idle', running: [], stepsDone: 2, succeeded: 2, failed: 0, successRate: 1, tokens: { input: 4500, output: 700 } });
    expect(reviewer.costUsd).toBeCloseTo(0.0246, 10);
    expect(reviewer.averageDurationMs).toEqual(expect.any(Number));
    expect(stats.find((s) => s.agentId === 'analyst')).toMatchObject({ stepsDone: 2, costUsd: 0, tokens: { input: 4800, output: 620 } });
    expect(stats.find((s) => s.agentId === 'writer')).toMatchObject({ stepsDone: 0, successRate: null });

    // The panel saw the reviewer go busy on step 2 of the second run, then idle with its record.
    const updates = events.filter((e) => e.event === 'agent.updated').map((e) => e.payload as AgentStats).filter((s) => s.agentId === 'reviewer');
    const busy = updates.findIndex((s) => s.status === 'busy' && s.running.some((r) => r.runId === second.runId && r.step === 2));
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(updates.slice(busy + 1).some((s) => s.status === 'idle' && s.stepsDone === 2)).toBe(true);
  });
});
