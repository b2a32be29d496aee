import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, workflowOf, type StepSpec } from '../helpers.js';

const sandbox = useSandbox('resume-saved');

const count = (name: string) => `echo x >> ${name}.count`;
const runsOf = (name: string) => (existsSync(join(sandbox.work, `${name}.count`)) ? readFileSync(join(sandbox.work, `${name}.count`), 'utf8').trim().split('\n').length : 0);

/** Saves the steps as a workflow and runs it to its end. */
async function savedRun(steps: StepSpec[]): Promise<{ workflowId: string; runId: string }> {
  const { id: workflowId } = await sandbox.engine.call('workflows.save', { workflow: workflowOf(steps) });
  const { runId } = await sandbox.engine.call('runs.start', { workflowId, baseDir: sandbox.work });
  expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
  return { workflowId, runId };
}

describe('resume with the saved workflow', () => {
  // 1 -> 2 (fails) -> 3, and 1 -> 4; step 5 stands alone.
  const broken = [
    shellStep(1, `${count('one')}; echo base`),
    shellStep(2, `${count('two')}; exit 3`, { dependencies: [1] }),
    shellStep(3, `${count('three')}; echo "three saw {{steps.2.output}}"`, { dependencies: [2] }),
    shellStep(4, `${count('four')}; echo "four saw {{steps.1.output}}"`, { dependencies: [1] }),
    shellStep(5, count('five')),
  ];

  it('runs the fixed step as saved and keeps the succeeded steps that did not change', async () => {
    const { workflowId, runId } = await savedRun(broken);
    const fixed = broken.map((s) => (s.step === 2 ? shellStep(2, `${count('two')}; echo fixed`, { dependencies: [1] }) : s));
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf(fixed) });

    await sandbox.engine.call('runs.resume', { runId, definition: 'saved' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 3).output).toBe('three saw fixed');
    expect([runsOf('one'), runsOf('two'), runsOf('three'), runsOf('four'), runsOf('five')]).toEqual([1, 2, 1, 1, 1]);
    // The run now records the definition it finished with.
    expect(detail.workflow.workflow.find((s) => s.step === 2)?.inputs).toEqual({ command: `${count('two')}; echo fixed` });
  });

  it('runs a changed succeeded step again, with every step downstream of it', async () => {
    const { workflowId, runId } = await savedRun(broken);
    const changed = broken.map((s) => {
      if (s.step === 1) return shellStep(1, `${count('one')}; echo changed`);
      if (s.step === 2) return shellStep(2, `${count('two')}; echo fixed`, { dependencies: [1] });
      return s;
    });
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf(changed) });

    await sandbox.engine.call('runs.resume', { runId, definition: 'saved' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 4).output).toBe('four saw changed');
    expect(detail.steps.map((s) => [s.step, s.attempts])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
      [4, 2],
      [5, 1],
    ]);
    expect([runsOf('one'), runsOf('four'), runsOf('five')]).toEqual([2, 2, 1]);
  });

  it('adds the steps the saved version added and drops the ones it removed that never ran', async () => {
    const { workflowId, runId } = await savedRun(broken);
    const reshaped = [broken[0]!, shellStep(2, 'echo fixed', { dependencies: [1] }), broken[3]!, broken[4]!, shellStep(6, count('six'), { dependencies: [2] })];
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf(reshaped) });

    await sandbox.engine.call('runs.resume', { runId, definition: 'saved' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => [s.step, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [4, 'succeeded'],
      [5, 'succeeded'],
      [6, 'succeeded'],
    ]);
    expect(detail.counts).toMatchObject({ total: 5, succeeded: 5 });
    expect(runsOf('three')).toBe(0);
  });

  it('refuses a saved version that removed a step which ran, and changes nothing', async () => {
    const { workflowId, runId } = await savedRun(broken);
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf([broken[0]!, shellStep(2, 'true', { dependencies: [1] })]) });
    await expect(sandbox.engine.call('runs.resume', { runId, definition: 'saved' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('no longer has step 4, step 5, which ran here'),
    });
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(detail.status).toBe('failed');
    expect(detail.workflow.workflow).toHaveLength(5);
  });

  it("keeps the run's own definition by default, and refuses 'saved' for a run started from a file", async () => {
    const { workflowId, runId } = await savedRun(broken);
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf(broken.map((s) => (s.step === 2 ? shellStep(2, 'true', { dependencies: [1] }) : s))) });
    await sandbox.engine.call('runs.resume', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    expect(runsOf('two')).toBe(2);

    const { runId: fromFile } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'exit 1')]), baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(fromFile)).toBe('failed');
    await expect(sandbox.engine.call('runs.resume', { runId: fromFile, definition: 'saved' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('has no saved version'),
    });
  });
});

describe("a resumed step's time", () => {
  it('runs from its first attempt to its last, across the resume', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'test -e flag')]), baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    await new Promise((done) => setTimeout(done, 300));
    writeFileSync(join(sandbox.work, 'flag'), '');
    await sandbox.engine.call('runs.resume', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');

    const step = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(step.attemptHistory).toHaveLength(2);
    expect(step.startedAt).toBe(step.attemptHistory[0]!.startedAt);
    expect(step.finishedAt).toBe(step.attemptHistory[1]!.finishedAt);
  });
});
