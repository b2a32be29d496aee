/**
 * What a user sees when an AI step cannot run or its tool fails: a missing or outdated tool fails
 * the step before any process starts, naming what was found and how to install it; a tool error,
 * a turn limit or a crash mid-stream fails the attempt with the tool's own account, even when the
 * tool exits 0; a cancel or shutdown that arrives while a step is being prepared starts nothing.
 */
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { isDead, liveGroupMembers, openDatabaseFile, stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from './stand-in-engine.js';

function aiStep(step: number, platform: string, prompt: string, extra: Record<string, unknown> = {}) {
  return { step, platform, inputs: { prompt }, dependencies: [] as number[], ...extra };
}

async function runToEnd(sandbox: StandInSandbox, steps: ReturnType<typeof aiStep>[]): Promise<RunDetail> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'Failures', workflow: steps }, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

describe('a tool that is missing', () => {
  const sandbox = useStandInSandbox('missing-tool', { tools: ['claude'], env: { PHOTON_STANDIN_LOGGED_IN: '1' } });

  it('fails its step before starting anything, naming the tool, where it looked and how to install it', async () => {
    const detail = await runToEnd(sandbox.current, [aiStep(1, 'codex', 'Summarise the README'), aiStep(2, 'claude-code', 'Then this', { dependencies: [1] })]);
    expect(detail.status).toBe('failed');
    const step = stepOf(detail, 1);
    expect(step.status).toBe('failed');
    expect(step.error).toMatch(/^Codex is not installed: no "codex" on the login shell's PATH \(3 folders searched\)\. To install it: npm install -g @openai\/codex; then run "Detect tools"/);
    expect(stepOf(detail, 2).status).toBe('skipped');
    expect(sandbox.current.runs()).toEqual([]);
    const attempt = (await sandbox.current.engine.call('steps.get', { runId: detail.runId, step: 1 })).attemptHistory[0]!;
    expect(attempt).toMatchObject({ status: 'failed', platform: 'codex', exitCode: null });
    expect(attempt.tail).toContain('photon: Codex is not installed');
  });
});

describe('a tool that is too old', () => {
  const sandbox = useStandInSandbox('old-tool', { env: { PHOTON_STANDIN_LOGGED_IN: '1', PHOTON_STANDIN_VERSION: '0.9.2' } });

  it('fails its step with the version found, the version needed and how to update', async () => {
    const detail = await runToEnd(sandbox.current, [aiStep(1, 'claude-code', 'Review the code')]);
    const bin = sandbox.current.bin;
    expect(stepOf(detail, 1).error).toBe(
      `Claude Code 0.9.2 at ${bin}/claude is too old: Photon needs 1.0.0 or newer; update it. To update it: npm install -g @anthropic-ai/claude-code; then run "Detect tools" (or \`photon tools\`).`,
    );
    expect(sandbox.current.runs()).toEqual([]);
    const tools = await sandbox.current.engine.call('tools.list', undefined);
    expect(tools.find((t) => t.platform === 'claude-code')).toMatchObject({ installed: true, version: '0.9.2', tooOld: true, path: `${bin}/claude` });
  });
});

describe('a tool that fails', () => {
  const sandbox = useStandInSandbox('tool-errors', { env: { PHOTON_STANDIN_LOGGED_IN: '1' } });

  it("fails the attempt with the tool's error, turn limit or crash, read from its own output", async () => {
    const steps = [
      aiStep(1, 'claude-code', 'Fix it [[standin:error]]'),
      aiStep(2, 'claude-code', 'Fix it [[standin:limit]]'),
      aiStep(3, 'claude-code', 'Fix it [[standin:crash]]'),
      aiStep(4, 'codex', 'Fix it [[standin:error]]'),
      aiStep(5, 'codex', 'Fix it [[standin:limit]]'),
      aiStep(6, 'codex', 'Fix it [[standin:crash]]'),
      aiStep(7, 'gemini', 'Fix it [[standin:error]]'),
      aiStep(8, 'gemini', 'Fix it [[standin:limit]]'),
      aiStep(9, 'gemini', 'Fix it [[standin:crash]]'),
      aiStep(10, 'codex', 'This one works', { dependencies: [] }),
    ];
    const detail = await runToEnd(sandbox.current, steps);
    expect(detail.status).toBe('failed');
    const error = (n: number) => {
      const step = stepOf(detail, n);
      expect(step.status, `step ${n}`).toBe('failed');
      return step.error;
    };
    expect(error(1)).toMatch(/^Claude Code failed.*Internal server error/);
    expect(error(2)).toBe('Claude Code reached its turn limit after 2 turns: Reached maximum number of turns (2)');
    expect(error(3)).toBe('Claude Code stopped before reporting a result (exited with code 134): fatal: the Claude Code process ended unexpectedly');
    expect(error(4)).toMatch(/^Codex failed: unexpected status 500 Internal Server Error/);
    expect(error(5)).toBe("Codex failed: Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.");
    expect(error(6)).toMatch(/^Codex stopped before finishing its turn \(exited with code 101\): thread 'main' panicked/);
    expect(error(7)).toBe('Gemini CLI failed: [API Error: 500 Internal error encountered.] (HTTP 500 from the API: server error)');
    expect(error(8)).toMatch(/^Gemini CLI failed: Reached max session turns for this session\..* \(turn limit reached\)$/);
    expect(error(9)).toMatch(/^Gemini CLI stopped before reporting a result \(exited with code 1\):.*\nTypeError: Cannot read properties of undefined/s);
    expect(stepOf(detail, 10)).toMatchObject({ status: 'succeeded', output: 'Codex received: This one works' });

    // What the tool reported before it failed is kept: a turn limit still cost money and tokens.
    const limited = (await sandbox.current.engine.call('steps.get', { runId: detail.runId, step: 2 })).attemptHistory[0]!;
    expect(limited).toMatchObject({ status: 'failed', exitCode: 1, costUsd: 0.0087, outputTokens: 120 });
  });

});

describe('a tool that reports an error and exits 0', () => {
  // As versions do that exit 0 after an error result.
  const sandbox = useStandInSandbox('exit-zero', { env: { PHOTON_STANDIN_LOGGED_IN: '1', PHOTON_STANDIN_ERROR_EXIT: '0' } });

  it('still fails the attempt with the error its output reports', async () => {
    const detail = await runToEnd(sandbox.current, [aiStep(1, 'claude-code', 'Fix it [[standin:limit]]'), aiStep(2, 'gemini', 'Fix it [[standin:error]]')]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', exitCode: 0, error: 'Claude Code reached its turn limit after 2 turns: Reached maximum number of turns (2)' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', exitCode: 0, error: 'Gemini CLI failed: [API Error: 500 Internal error encountered.]' });
  });
});

describe('a cancel or shutdown while AI steps are being prepared', () => {
  const sandbox = useStandInSandbox('prepare-cancel', { env: { PHOTON_STANDIN_LOGGED_IN: '1' } });
  const workflow = { name: 'Stopped early', workflow: [aiStep(1, 'claude-code', 'First'), aiStep(2, 'codex', 'Second'), aiStep(3, 'gemini', 'Third', { dependencies: [1] })] };

  it('cancels the run without starting any tool (the tools are still being looked up)', async () => {
    const { runId } = await sandbox.current.engine.call('runs.start', { workflow, baseDir: sandbox.current.work });
    expect(await sandbox.current.engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    expect(await sandbox.current.engine.waitForRun(runId)).toBe('cancelled');
    const detail = await sandbox.current.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // Give a process that was wrongly started time to log itself.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sandbox.current.runs()).toEqual([]);
    expect((await sandbox.current.engine.call('terminals.list', undefined)).filter((t) => t.status === 'running')).toEqual([]);
  });

  it('cancels steps that have just launched, wherever the cancel lands (preparing or spawned): no wrong status, no process left', async () => {
    await sandbox.current.engine.call('tools.list', undefined);
    const { runId } = await sandbox.current.engine.call('runs.start', { workflow, baseDir: sandbox.current.work });
    // The tools are known now: steps 1 and 2 launch at once.
    const running = await sandbox.current.engine.call('runs.get', { runId });
    expect(running.steps.map((s) => s.status)).toEqual(['running', 'running', 'pending']);
    await sandbox.current.engine.call('runs.cancel', { runId });
    expect(await sandbox.current.engine.waitForRun(runId)).toBe('cancelled');
    const detail = await sandbox.current.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const attempts = (await sandbox.current.engine.call('runs.timeline', { runId })).attempts;
    expect(attempts.map((a) => [a.step, a.status, a.error])).toEqual([
      [1, 'cancelled', 'cancelled'],
      [2, 'cancelled', 'cancelled'],
    ]);
    // A tool that was already born when the cancel landed is dead now, with its whole group.
    for (const terminal of await sandbox.current.engine.call('terminals.list', undefined)) {
      expect(terminal.status).toBe('exited');
      if (terminal.pid) expect(liveGroupMembers(terminal.pid)).toEqual([]);
    }
    for (const run of sandbox.current.runs()) expect(isDead(run.pid)).toBe(true);
  });

  it('leaves the run interrupted and resumable when the engine shuts down meanwhile', async () => {
    await sandbox.current.engine.call('tools.list', undefined);
    const { engine, work, dataDir } = sandbox.current;
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work });
    await engine.close();
    const db = openDatabaseFile(dataDir);
    try {
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'interrupted' });
      expect(db.prepare('SELECT status FROM steps WHERE run_id = ? ORDER BY step').all(runId)).toEqual([{ status: 'pending' }, { status: 'pending' }, { status: 'pending' }]);
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sandbox.current.runs()).toEqual([]);
  });
});
