import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, workflowOf } from '../helpers.js';

const sandbox = useSandbox('fan-out-sub-workflows');

describe('a fan-out of sub-workflows', () => {
  it('runs the saved workflow once per item as its own child run, and lists their outputs in order', async () => {
    await sandbox.engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo "checked {{inputs.file}}"')], 'Check one') });
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([{ step: 1, platform: 'workflow', inputs: { workflow: 'Check one', file: '{{item}}' }, dependencies: [], forEach: ['a.ts', 'b.ts', 'c.ts'], maxParallel: 2 }], 'parent'),
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
    expect(JSON.parse(step.output!)).toEqual(['checked a.ts', 'checked b.ts', 'checked c.ts']);
    // Three child runs, each linked to the parent's step.
    const children = (await sandbox.engine.call('runs.list', {})).filter((r) => r.parent?.runId === runId);
    expect(children.map((c) => c.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
});
