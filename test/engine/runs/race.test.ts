import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdsPid, isDead, liveGroupMembers, readPid, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';

const sandbox = useSandbox('race');

/** A racer: records its pid, waits until its `go` file exists, then prints its answer. */
const racer = (name: string) => `echo $$ > ${name}.pid; while [ ! -e go-${name} ]; do sleep 0.05; done; echo answer-${name}`;

describe('a race', () => {
  it('starts its join with the first success, cancels the others (processes gone, never-started ones too) and the run succeeds', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      // Three of the four racers run at once; the fourth waits for a slot and never gets one.
      concurrency: 3,
      workflow: workflowOf([
        shellStep(2, racer('b')),
        shellStep(3, racer('c')),
        shellStep(4, racer('d')),
        shellStep(5, `touch started-e; ${racer('e')}`),
        shellStep(6, 'echo "won by {{race.step}}: {{race.output}}"', { dependencies: [2, 3, 4, 5], race: [2, 3, 4, 5] }),
        // Below a loser: skipped, as below any step that did not succeed.
        shellStep(7, 'touch below-loser', { dependencies: [4] }),
      ]),
    });
    await waitUntil(() => ['b', 'c', 'd'].every((n) => holdsPid(join(sandbox.work, `${n}.pid`))), 'three racers to start', 30_000);
    const pids = ['b', 'd'].map((n) => readPid(join(sandbox.work, `${n}.pid`)));
    writeFileSync(join(sandbox.work, 'go-c'), '');

    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 3)).toMatchObject({ status: 'succeeded', output: 'answer-c' });
    expect(stepOf(detail, 6)).toMatchObject({ status: 'succeeded', output: 'won by 3: answer-c' });
    for (const step of [2, 4]) expect(stepOf(detail, step)).toMatchObject({ status: 'cancelled', attempts: 1, error: 'lost the race to step 3' });
    expect(stepOf(detail, 5)).toMatchObject({ status: 'cancelled', attempts: 0, error: 'lost the race to step 3' });
    expect(stepOf(detail, 7)).toMatchObject({ status: 'skipped' });
    expect(existsSync(join(sandbox.work, 'started-e'))).toBe(false);
    expect(existsSync(join(sandbox.work, 'below-loser'))).toBe(false);
    // The losers' processes were stopped as a cancel stops them: nothing of theirs is left.
    for (const pid of pids) {
      expect(isDead(pid)).toBe(true);
      expect(liveGroupMembers(pid)).toEqual([]);
    }
    const attempts = (await sandbox.engine.call('steps.get', { runId, step: 2 })).attemptHistory;
    expect(attempts).toMatchObject([{ status: 'cancelled', error: 'lost the race to step 3' }]);
  });

  it('waits for its other dependencies as usual', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([
        shellStep(1, 'while [ ! -e go-slow ]; do sleep 0.05; done; echo slow'),
        shellStep(2, 'echo fast'),
        shellStep(3, racer('x')),
        shellStep(4, 'echo "{{steps.1.output}} then {{race.output}}"', { dependencies: [1, 2, 3], race: [2, 3] }),
      ]),
    });
    await waitFor(async () => stepOf(await sandbox.engine.call('runs.get', { runId }), 3).status === 'cancelled', 'the slower racer to lose');
    expect(stepOf(await sandbox.engine.call('runs.get', { runId }), 4).status).toBe('pending');
    writeFileSync(join(sandbox.work, 'go-slow'), '');
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect(stepOf(await sandbox.engine.call('runs.get', { runId }), 4).output).toBe('slow then fast');
  });

  it('skips its join when every racer fails, and the run fails', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([shellStep(1, 'exit 3'), shellStep(2, 'exit 4'), shellStep(3, 'touch joined', { dependencies: [1, 2], race: [1, 2] })]),
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => s.status)).toEqual(['failed', 'failed', 'skipped']);
    expect(existsSync(join(sandbox.work, 'joined'))).toBe(false);
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
