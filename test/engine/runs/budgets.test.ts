/**
 * Budgets against real processes: AI steps are played by the Claude Code stand-in, which reports
 * $0.0123 and its tokens per run in Claude Code's own stream-json result, as the real one does. A
 * budget reached mid-run holds the next AI step until the user answers in the approvals inbox (or
 * fails it at once), an agent's daily cap holds its steps in every run of the day, and an Approve
 * given before Photon stopped still counts after a resume.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { RunDetail } from '../../../shared/runs.js';
import { startEngine, stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';

const claude = (step: number, prompt: string, extra: Record<string, unknown> = {}) => ({ step, platform: 'claude-code', inputs: { prompt }, dependencies: [] as number[], ...extra });
const shell = (step: number, command: string, dependencies: number[]) => ({ step, platform: 'shell', inputs: { command }, dependencies });

async function start(engine: Engine, work: string, workflow: Record<string, unknown>): Promise<string> {
  return (await engine.call('runs.start', { workflow: { name: 'budgeted', ...workflow } as never, baseDir: work })).runId;
}

/** The run's question about a budget once it is in the inbox. */
export async function budgetQuestion(engine: Engine, runId: string | null, after?: string): Promise<ApprovalItem> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const found = (await engine.call('approvals.list', { waitingOnly: true })).find((i) => i.kind === 'budget' && (runId === null || i.runId === runId) && i.id !== after);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no question about a budget reached the inbox');
}

async function detailOf(engine: Engine, runId: string): Promise<RunDetail> {
  return engine.call('runs.get', { runId });
}

const claudeRuns = (sandbox: StandInSandbox) => sandbox.runs().filter((r) => r.tool === 'claude').length;

describe("a run's budget reached mid-run", () => {
  const sandbox = useStandInSandbox('budget-run', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it('asks once in the inbox while the next AI step waits; approved, the run goes on up to another budget', async () => {
    const { engine, work } = sandbox.current;
    const runId = await start(engine, work, { budget: { costUsd: 0.01 }, workflow: [claude(1, 'Plan'), claude(2, 'Build', { dependencies: [1] }), shell(3, 'echo shipped', [2])] });
    const question = await budgetQuestion(engine, runId);
    expect(question).toMatchObject({ kind: 'budget', status: 'waiting', step: 2 });
    expect(question.title).toBe("The run's budget is reached: $0.0123 of $0.0100 spent. Approve to go on up to $0.0200, or reject to fail the AI steps waiting for it");

    const waiting = await detailOf(engine, runId);
    expect(stepOf(waiting, 1)).toMatchObject({ status: 'succeeded', costUsd: 0.0123 });
    expect(stepOf(waiting, 2)).toMatchObject({ status: 'pending', attempts: 0, waitingFor: 'budget' });
    expect(claudeRuns(sandbox.current)).toBe(1);
    // "For the run" and "always" make no sense here.
    const [refused] = await engine.call('approvals.answer', { ids: [question.id], answer: 'run' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('a question about a budget') });

    await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    const done = await detailOf(engine, runId);
    expect(stepOf(done, 2)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(stepOf(done, 2).waitingFor).toBeUndefined();
    expect(stepOf(done, 3).output).toBe('shipped');
    expect(claudeRuns(sandbox.current)).toBe(2);
  });

  it('rejected, fails the waiting AI step with the budget, the spend and the answer; nothing after it runs', async () => {
    const { engine, work } = sandbox.current;
    const runId = await start(engine, work, { budget: { costUsd: 0.01 }, workflow: [claude(1, 'Plan'), claude(2, 'Build', { dependencies: [1] }), shell(3, 'echo shipped', [2])] });
    const question = await budgetQuestion(engine, runId);
    await engine.call('approvals.answer', { ids: [question.id], answer: 'deny', message: 'too dear' });
    expect(await engine.waitForRun(runId)).toBe('failed');
    const done = await detailOf(engine, runId);
    expect(stepOf(done, 2)).toMatchObject({ status: 'failed', attempts: 0 });
    expect(stepOf(done, 2).error).toMatch(/^the run's budget is reached: \$0\.0123 of \$0\.0100 spent; going on was rejected by person at \S+: too dear$/);
    expect(stepOf(done, 3)).toMatchObject({ status: 'skipped' });
    expect(claudeRuns(sandbox.current)).toBe(1);
  });

  it('with onExceed "fail", fails the next AI step at once, naming its tokens, and asks nobody', async () => {
    const { engine, work } = sandbox.current;
    const runId = await start(engine, work, {
      budget: { tokens: 1000, onExceed: 'fail' },
      workflow: [claude(1, 'Plan'), claude(2, 'Build', { dependencies: [1] }), shell(3, 'echo not an agent', [1])],
    });
    expect(await engine.waitForRun(runId)).toBe('failed');
    const done = await detailOf(engine, runId);
    const tokens = stepOf(done, 1).tokens!;
    const used = (tokens.input + tokens.output).toLocaleString('en-US');
    expect(stepOf(done, 2)).toMatchObject({ status: 'failed', attempts: 0, error: `the run's budget is reached: ${used} of 1,000 tokens used (its onExceed is "fail")` });
    // A shell step spends nothing: the budget does not hold it.
    expect(stepOf(done, 3)).toMatchObject({ status: 'succeeded', output: 'not an agent' });
    expect((await engine.call('approvals.list', { runId })).filter((i) => i.kind === 'budget')).toEqual([]);
    expect(claudeRuns(sandbox.current)).toBe(1);
  });
});

describe('a budget and sub-workflows', () => {
  const sandbox = useStandInSandbox('budget-sub', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it("holds a sub-workflow's AI steps to the budget of the run that started it, which counts what they spent", async () => {
    const { engine, work } = sandbox.current;
    await engine.call('workflows.save', { workflow: { name: 'Review', workflow: [claude(1, 'Review it')] } as never });
    const runId = await start(engine, work, {
      budget: { costUsd: 0.01 },
      workflow: [claude(1, 'Plan'), { step: 2, platform: 'workflow', inputs: { workflow: 'Review' }, dependencies: [1] }, claude(3, 'Ship', { dependencies: [2] })],
    });
    // The child's step waits on the parent's budget: $0.0123 spent by the parent's step 1.
    const first = await budgetQuestion(engine, null);
    expect(first.runId).not.toBe(runId);
    expect(first.title).toMatch(new RegExp(`^Run ${runId}'s budget \\(budgeted, which started this sub-workflow\\) is reached: \\$0\\.0123 of \\$0\\.0100 spent`));
    await engine.call('approvals.answer', { ids: [first.id], answer: 'once' });
    // The parent's step 3 counts the child's spend: $0.0246 of the $0.0200 now allowed.
    const second = await budgetQuestion(engine, runId, first.id);
    expect(second.title).toContain("The run's budget is reached: $0.0246 of $0.0200 spent");
    await engine.call('approvals.answer', { ids: [second.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(claudeRuns(sandbox.current)).toBe(3);
  });
});

describe("an agent's daily cap", () => {
  const sandbox = useStandInSandbox('budget-daily', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it("holds the agent's steps in a later run of the day; approved, it may spend another cap's worth that day", async () => {
    const { engine, work } = sandbox.current;
    await engine.call('agents.save', { agent: { id: 'reviewer', name: 'Reviewer', tool: 'claude-code', dailyCapUsd: 0.02 } });
    const agentStep = (step: number, dependencies: number[] = []) => ({ step, agent: 'reviewer', platform: 'claude-code', inputs: { prompt: `Review ${step}` }, dependencies });

    // $0.0123 spent when the second step starts: under the cap; $0.0246 after it.
    const first = await start(engine, work, { workflow: [agentStep(1), agentStep(2, [1])] });
    expect(await engine.waitForRun(first)).toBe('succeeded');

    const second = await start(engine, work, { workflow: [agentStep(1), shell(2, 'echo other work', [])] });
    const question = await budgetQuestion(engine, second);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(question).toMatchObject({ agentName: 'Reviewer', step: 1 });
    expect(question.title).toContain(`Agent reviewer's daily cap (${day}) is reached: $0.0246 of $0.0200 spent`);
    expect(stepOf(await detailOf(engine, second), 1)).toMatchObject({ status: 'pending', waitingFor: 'budget' });
    await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    expect(await engine.waitForRun(second)).toBe('succeeded');

    // $0.0369 of the $0.04 the Approve allows today: runs without asking.
    const third = await start(engine, work, { workflow: [agentStep(1)] });
    expect(await engine.waitForRun(third)).toBe('succeeded');
    expect((await engine.call('approvals.list', {})).filter((i) => i.kind === 'budget')).toHaveLength(1);
    expect(claudeRuns(sandbox.current)).toBe(4);
  });

  it('asks once for every run of the day that waits on it; one Approve lets each go on', async () => {
    const { engine, work } = sandbox.current;
    // Two slots: both waiting runs start together once approved, each seeing $0.0123 of the $0.02 then allowed.
    await engine.call('agents.save', { agent: { id: 'reviewer', name: 'Reviewer', tool: 'claude-code', dailyCapUsd: 0.01, maxConcurrentSteps: 2 } });
    const agentStep = { step: 1, agent: 'reviewer', platform: 'claude-code', inputs: { prompt: 'Review' }, dependencies: [] };
    expect(await engine.waitForRun(await start(engine, work, { workflow: [agentStep] }))).toBe('succeeded');

    const first = await start(engine, work, { workflow: [agentStep] });
    const question = await budgetQuestion(engine, first);
    const second = await start(engine, work, { workflow: [agentStep] });
    await expect.poll(async () => stepOf(await detailOf(engine, second), 1).waitingFor, { timeout: 30_000 }).toBe('budget');
    expect((await engine.call('approvals.list', { waitingOnly: true })).filter((i) => i.kind === 'budget').map((i) => i.id)).toEqual([question.id]);

    await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    expect(await engine.waitForRun(first)).toBe('succeeded');
    expect(await engine.waitForRun(second)).toBe('succeeded');
    expect(claudeRuns(sandbox.current)).toBe(3);
  });

  it("with its budget per run and onExceed \"fail\", fails its next step in that run only; other steps and other runs go on", async () => {
    const { engine, work } = sandbox.current;
    await engine.call('agents.save', { agent: { id: 'builder', name: 'Builder', tool: 'claude-code', budget: { costUsd: 0.01, onExceed: 'fail' } } });
    const step = (n: number, agent: string | undefined, dependencies: number[] = []) => ({ step: n, ...(agent ? { agent } : {}), platform: 'claude-code', inputs: { prompt: `Part ${n}` }, dependencies });
    const runId = await start(engine, work, { workflow: [step(1, 'builder'), step(2, 'builder', [1]), step(3, undefined, [1])] });
    expect(await engine.waitForRun(runId)).toBe('failed');
    const done = await detailOf(engine, runId);
    expect(stepOf(done, 2)).toMatchObject({ status: 'failed', attempts: 0, error: `agent builder's budget in this run is reached: $0.0123 of $0.0100 spent (its onExceed is "fail")` });
    // A step of no agent is held by no agent's budget.
    expect(stepOf(done, 3)).toMatchObject({ status: 'succeeded' });
    // A new run starts the agent's budget afresh.
    const next = await start(engine, work, { workflow: [step(1, 'builder')] });
    expect(await engine.waitForRun(next)).toBe('succeeded');
    expect(claudeRuns(sandbox.current)).toBe(3);
  });

  it('refuses a cap that is not a positive amount, naming the field', async () => {
    await expect(sandbox.current.engine.call('agents.save', { agent: { id: 'r', name: 'R', tool: 'claude-code', dailyCapUsd: 0 } })).rejects.toThrow(/agent\.dailyCapUsd: /);
  });
});

describe('a budget waiting when Photon stops', () => {
  const sandbox = useStandInSandbox('budget-restart', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it('is asked again on resume, and the Approve given before the stop still counts', async () => {
    const current = sandbox.current;
    const runId = await start(current.engine, current.work, { budget: { costUsd: 0.01 }, workflow: [claude(1, 'One'), claude(2, 'Two', { dependencies: [1] }), claude(3, 'Three', { dependencies: [2] })] });
    const first = await budgetQuestion(current.engine, runId);
    await current.engine.call('approvals.answer', { ids: [first.id], answer: 'once' });
    const second = await budgetQuestion(current.engine, runId, first.id);
    expect(second.title).toContain('$0.0246 of $0.0200 spent');
    await current.engine.close();

    const engine = await startEngine(current.dataDir, {
      env: { PATH: `${current.bin}:/usr/bin:/bin`, HOME: current.root, LANG: 'C.UTF-8', PHOTON_STANDIN_DELAY_MS: '1', PHOTON_STANDIN_LOG: current.log, ANTHROPIC_API_KEY: 'sk-ant-test' },
      loginShell: false,
      keychainService: `Photon-test-${randomUUID()}`,
    });
    current.engine = engine;
    const stopped = await detailOf(engine, runId);
    expect(stopped.status).toBe('interrupted');
    expect(stepOf(stopped, 3)).toMatchObject({ status: 'pending' });
    expect(stepOf(stopped, 3).waitingFor).toBeUndefined();
    expect((await engine.call('approvals.list', { runId })).find((i) => i.id === second.id)).toMatchObject({ status: 'cancelled' });

    await engine.call('runs.resume', { runId });
    const again = await budgetQuestion(engine, runId);
    expect(again.id).not.toBe(second.id);
    // Two budgets' worth, not one: the first Approve was kept.
    expect(again.title).toContain('$0.0246 of $0.0200 spent. Approve to go on up to $0.0300');
    await engine.call('approvals.answer', { ids: [again.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(claudeRuns(current)).toBe(3);
  });
});
