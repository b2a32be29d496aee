import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, workflowOf } from '../helpers.js';

const sandbox = useSandbox('selection');

/** 1 -> 2 -> 3, and 4 on its own; every step that runs leaves a line in ran.log. */
function steps(stepTwo: string) {
  const logged = (n: number, command: string) => `echo ${n} >> ran.log; ${command}`;
  return [
    shellStep(1, logged(1, 'echo base')),
    shellStep(2, logged(2, stepTwo), { dependencies: [1] }),
    shellStep(3, logged(3, 'echo "after {{steps.2.output}}"'), { dependencies: [2] }),
    shellStep(4, logged(4, 'echo alone')),
  ];
}

const ranLog = () => readFileSync(join(sandbox.work, 'ran.log'), 'utf8').split('\n').filter(Boolean).map(Number);

describe('runs.start with a selection of steps', () => {
  it('retries one step with its edit, then runs from it on, taking the earlier outputs of the steps before it', async () => {
    const { engine } = sandbox;
    const { id } = await engine.call('workflows.save', { workflow: workflowOf(steps('exit 3')) });
    const first = await engine.call('runs.start', { workflowId: id, baseDir: sandbox.work });
    expect(await engine.waitForRun(first.runId)).toBe('failed');
    expect(ranLog().sort()).toEqual([1, 2, 4]);

    // The user fixes step 2 and retries it alone: step 1 is not run again, its output is the first run's.
    await engine.call('workflows.save', { id, workflow: workflowOf(steps('echo "fixed with {{steps.1.output}}"')) });
    const retry = await engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [2], mode: 'only', outputsFrom: first.runId } });
    expect(await engine.waitForRun(retry.runId)).toBe('succeeded');
    const retried = await engine.call('runs.get', { runId: retry.runId });
    expect(stepOf(retried, 1)).toMatchObject({ status: 'succeeded', attempts: 0, output: 'base' });
    expect(stepOf(retried, 2)).toMatchObject({ status: 'succeeded', attempts: 1, output: 'fixed with base' });
    expect(stepOf(retried, 3)).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(stepOf(retried, 3).error).toContain('not run');
    expect(stepOf(retried, 4).status).toBe('skipped');
    expect(ranLog().slice(3)).toEqual([2]);

    // Run from step 2: it and step 3 run; the earlier outputs come from the latest run by default.
    const from = await engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [2], mode: 'from' } });
    expect(await engine.waitForRun(from.runId)).toBe('succeeded');
    const ranFrom = await engine.call('runs.get', { runId: from.runId });
    expect(ranFrom.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 0],
      [2, 'succeeded', 1],
      [3, 'succeeded', 1],
      [4, 'skipped', 0],
    ]);
    expect(stepOf(ranFrom, 3).output).toBe('after fixed with base');
    expect(ranLog().slice(4).sort()).toEqual([2, 3]);
  });

  it('refuses, before any run is made, a step that is not there or one whose earlier steps have no output to lend', async () => {
    const { engine } = sandbox;
    const { id } = await engine.call('workflows.save', { workflow: workflowOf(steps('exit 3')) });
    await expect(engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [2], mode: 'only' } })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/step 2 needs step 1, which this run does not run and which has no earlier run .*run from step 1 instead/),
    });
    const first = await engine.call('runs.start', { workflowId: id, baseDir: sandbox.work });
    expect(await engine.waitForRun(first.runId)).toBe('failed');

    await expect(engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [9], mode: 'only' } })).rejects.toMatchObject({
      code: 'invalid',
      message: 'steps.steps[0]: step 9 is not in the workflow (its steps are 1, 2, 3, 4)',
    });
    // Step 2 failed in that run: step 3 cannot borrow its output.
    await expect(engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [3], mode: 'only', outputsFrom: first.runId } })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining(`step 3 needs step 2, which this run does not run and which did not succeed in run ${first.runId}`),
    });
    await expect(engine.call('runs.start', { workflowId: id, baseDir: sandbox.work, steps: { steps: [], mode: 'only' } })).rejects.toMatchObject({ code: 'invalid' });
    expect(await engine.call('runs.list', { workflowId: id })).toHaveLength(1);
  });
});
