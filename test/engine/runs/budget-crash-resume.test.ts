import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { repoRoot, stepOf, waitUntil } from '../helpers.js';

/**
 * An engine killed (SIGKILL, in its own process) while an AI step waits for the user's OK on a
 * budget: the question dies with it (closed, not left waiting), the step no longer says it waits,
 * and the resumed run asks again; approved, it goes on. Both engines find the Claude Code stand-in
 * on PATH (the engine process inherits this test's environment).
 */
const crash = useEngineCrashTest('budget-crash', []);
const saved = { PATH: process.env.PATH, ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY, PHOTON_STANDIN_DELAY_MS: process.env.PHOTON_STANDIN_DELAY_MS };

beforeEach(() => {
  const bin = join(crash.work, '..', 'bin');
  mkdirSync(bin);
  symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));
  Object.assign(process.env, { PATH: `${bin}:${saved.PATH ?? '/usr/bin:/bin'}`, ANTHROPIC_API_KEY: 'sk-ant-crash', PHOTON_STANDIN_DELAY_MS: '1' });
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function budgetQuestions(runId: string): { id: string; status: string; answered_by: string | null }[] {
  const db = new Database(join(crash.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare("SELECT id, status, answered_by FROM approvals WHERE run_id = ? AND kind = 'budget' ORDER BY created_at").all(runId) as { id: string; status: string; answered_by: string | null }[];
  } finally {
    db.close();
  }
}

describe('an engine killed while a budget waits for the OK', () => {
  it('leaves the question closed and the step not waiting; the resumed run asks again and, approved, goes on', async () => {
    const file = join(crash.work, 'workflow.json');
    const step = (n: number, dependencies: number[]) => ({ step: n, platform: 'claude-code', inputs: { prompt: `Part ${n}` }, dependencies });
    writeFileSync(file, JSON.stringify({ name: 'budget crash', budget: { costUsd: 0.01 }, workflow: [step(1, []), step(2, [1])] }));
    const { process: child, runId: runIdPromise, exited } = crash.start(file);
    const runId = await runIdPromise;
    await waitUntil(() => budgetQuestions(runId).some((q) => q.status === 'waiting'), 'the budget question to wait in the inbox', 60_000);
    child.kill('SIGKILL');
    await exited;

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    const [first] = budgetQuestions(runId);
    expect(first).toMatchObject({ status: 'cancelled', answered_by: 'ended' });
    const stopped = await engine.call('runs.get', { runId });
    expect(stepOf(stopped, 1)).toMatchObject({ status: 'succeeded', costUsd: 0.0123 });
    expect(stepOf(stopped, 2)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(stepOf(stopped, 2).waitingFor).toBeUndefined();

    await engine.call('runs.resume', { runId });
    await waitUntil(() => budgetQuestions(runId).some((q) => q.status === 'waiting'), 'the budget to be asked again', 60_000);
    const again = budgetQuestions(runId).find((q) => q.status === 'waiting')!;
    expect(again.id).not.toBe(first!.id);
    await engine.call('approvals.answer', { ids: [again.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(stepOf(await engine.call('runs.get', { runId }), 1).attempts).toBe(1);
  }, 120_000);
});
