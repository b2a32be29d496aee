import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest, type EngineProcess } from '../engine-process.js';
import { shellStep, stepOf, waitUntil, workflowOf, type StepSpec } from '../helpers.js';

/**
 * An engine killed (SIGKILL, in its own process) while an approval gate waits: a new engine on the
 * same data folder resumes the run without re-running what was decided, and asks the gate again only
 * if nobody had answered it.
 */
const crash = useEngineCrashTest('gate-crash', []);

function startFixture(): EngineProcess {
  const steps: StepSpec[] = [
    shellStep(1, 'echo ran >> counter; echo built'),
    { step: 2, platform: 'approval', inputs: { message: 'Ship {{steps.1.output}}?' }, dependencies: [1] },
    shellStep(3, 'touch deployed', { dependencies: [2] }),
    // Decided (false) before the crash: stays skipped, with its reason, and never runs.
    shellStep(4, 'touch never', { dependencies: [1], when: 'steps.1.output == "other"' }),
  ];
  const workflowFile = join(crash.work, 'workflow.json');
  writeFileSync(workflowFile, JSON.stringify(workflowOf(steps, 'gate crash')));
  return crash.start(workflowFile);
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(crash.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

type GateRow = { id: string; status: string; answered_by: string | null };
const gates = (runId: string) => query<GateRow>("SELECT id, status, answered_by FROM approvals WHERE run_id = ? AND kind = 'gate' ORDER BY created_at", runId);

async function killWithGateWaiting(): Promise<{ runId: string; gateId: string }> {
  const { process: child, runId: runIdPromise, exited } = startFixture();
  const runId = await runIdPromise;
  await waitUntil(() => gates(runId).some((g) => g.status === 'waiting'), 'the gate to wait in the inbox', 30_000);
  const skipped = query<{ status: string; error: string }>('SELECT status, error FROM steps WHERE run_id = ? AND step = 4', runId)[0];
  expect(skipped).toEqual({ status: 'skipped', error: 'condition false: steps.1.output == "other"' });
  child.kill('SIGKILL');
  await exited;
  return { runId, gateId: gates(runId)[0]!.id };
}

const lines = (file: string) => readFileSync(join(crash.work, file), 'utf8').trim().split('\n');

describe('an engine killed while a gate waits', () => {
  it('asks again after resuming when nobody had answered, then runs what the answer allows', async () => {
    const { runId, gateId } = await killWithGateWaiting();
    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    // The unanswered question died with its engine: closed, not left waiting forever.
    expect(gates(runId)).toEqual([{ id: gateId, status: 'cancelled', answered_by: 'ended' }]);

    await engine.call('runs.resume', { runId });
    let asked: { id: string } | undefined;
    await waitUntil(() => Boolean((asked = gates(runId).find((g) => g.status === 'waiting'))), 'the gate to be asked again', 30_000);
    expect(asked!.id).not.toBe(gateId);
    await engine.call('approvals.answer', { ids: [asked!.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');

    const detail = await engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'succeeded', 2],
      [3, 'succeeded', 1],
      [4, 'skipped', 0],
    ]);
    expect(stepOf(detail, 4)).toMatchObject({ skipped: 'condition' });
    expect(lines('counter')).toEqual(['ran']);
    expect(existsSync(join(crash.work, 'never'))).toBe(false);
  });

  it('applies an answer written before the crash instead of asking again', async () => {
    const { runId, gateId } = await killWithGateWaiting();
    // The engine died after writing the person's answer and before the run heard it.
    const db = new Database(join(crash.dataDir, 'photon.db'));
    db.prepare("UPDATE approvals SET status = 'denied', answer = 'deny', answered_by = 'person', answered_at = ?, message = 'not today' WHERE id = ?").run(new Date().toISOString(), gateId);
    db.close();

    const engine = await crash.recover();
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('failed');
    // Nobody was asked a second time.
    expect(gates(runId)).toEqual([{ id: gateId, status: 'denied', answered_by: 'person' }]);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(stepOf(detail, 2).error).toMatch(/^rejected by person at \S+: not today$/);
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
    expect(lines('counter')).toEqual(['ran']);
    expect(existsSync(join(crash.work, 'deployed'))).toBe(false);
  });
});
