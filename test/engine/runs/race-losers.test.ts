/**
 * A race lost by a step that is not a process: an approval gate's question and a sub-workflow's
 * child run say they lost the race, not that their run was cancelled (the run goes on and
 * succeeds), and the child's processes are stopped as a cancel stops them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { holdsPid, isDead, liveGroupMembers, readPid, shellStep, stepOf, useSandbox, waitUntil, workflowOf, type StepSpec } from '../helpers.js';

const sandbox = useSandbox('race-losers');

/** Waits for its `go` file, then answers: the racer that wins when the test says so. */
const winner = 'while [ ! -e go ]; do sleep 0.05; done; echo quick';

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a race lost by', () => {
  it('an approval gate withdraws its question saying it lost the race', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([
        { step: 2, platform: 'approval', inputs: { message: 'Ship the slow way?' }, dependencies: [] } as StepSpec,
        shellStep(3, winner),
        shellStep(4, 'echo "won by {{race.step}}"', { dependencies: [2, 3], race: [2, 3] }),
      ]),
    });
    const asked = await eventually(async () => (await sandbox.engine.call('approvals.list', { waitingOnly: true, runId })).find((item) => item.kind === 'gate'), 'the gate to ask');
    writeFileSync(join(sandbox.work, 'go'), '');

    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'cancelled', error: 'lost the race to step 3' });
    expect(stepOf(detail, 4).output).toBe('won by 3');
    const [item] = (await sandbox.engine.call('approvals.list', { runId })).filter((i) => i.id === asked.id) as ApprovalItem[];
    expect(item).toMatchObject({ status: 'cancelled', message: 'the step lost the race to step 3 before it was answered' });
  });

  it('a sub-workflow cancels its child run saying its step lost the race, and stops its processes', async () => {
    await sandbox.engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo $$ > child.pid; exec sleep 300')], 'Slow path') });
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([
        { step: 2, platform: 'workflow', inputs: { workflow: 'Slow path' }, dependencies: [] } as StepSpec,
        shellStep(3, winner),
        shellStep(4, 'echo "won by {{race.step}}"', { dependencies: [2, 3], race: [2, 3] }),
      ]),
    });
    await waitUntil(() => holdsPid(join(sandbox.work, 'child.pid')), "the child run's step to start", 30_000);
    const pid = readPid(join(sandbox.work, 'child.pid'));
    writeFileSync(join(sandbox.work, 'go'), '');

    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'cancelled', error: 'lost the race to step 3' });
    const child = stepOf(detail, 2).childRunId!;
    expect(await sandbox.engine.waitForRun(child)).toBe('cancelled');
    expect(stepOf(await sandbox.engine.call('runs.get', { runId: child }), 1)).toMatchObject({ status: 'cancelled', error: 'cancelled: its parent step lost the race to step 3' });
    expect(isDead(pid)).toBe(true);
    expect(liveGroupMembers(pid)).toEqual([]);
  });
});
