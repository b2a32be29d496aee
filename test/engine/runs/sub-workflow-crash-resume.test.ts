import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { holdsPid, isDead, readPid, shellStep, startEngine, stepOf, waitUntil, workflowOf } from '../helpers.js';

/**
 * An engine killed (SIGKILL, in its own process) while a sub-workflow's child run is mid-way: the
 * resumed parent resumes that same child (its finished step not run again) instead of starting a
 * second one, and gets its output.
 */
const crash = useEngineCrashTest('sub-workflow-crash', ['child.pid']);

describe('an engine killed while a sub-workflow runs', () => {
  it('resumes the same child run when the parent is resumed', async () => {
    // The saved workflow the parent runs, written by an engine on the same data folder.
    const saving = await startEngine(crash.dataDir);
    await saving.call('workflows.save', {
      workflow: workflowOf(
        [
          shellStep(1, 'echo first >> counter; echo "{{inputs.greeting}}"'),
          shellStep(2, 'echo $$ > child.pid; while [ ! -e release ]; do sleep 0.05; done; echo "{{steps.1.output}}, world"', { dependencies: [1] }),
        ],
        'Greeter',
      ),
    });
    await saving.close();

    const workflowFile = join(crash.work, 'workflow.json');
    writeFileSync(
      workflowFile,
      JSON.stringify(
        workflowOf([{ step: 1, platform: 'workflow', inputs: { workflow: 'Greeter', greeting: 'hello' }, dependencies: [] }, shellStep(2, 'echo "parent got: {{steps.1.output}}"', { dependencies: [1] })], 'parent'),
      ),
    );
    const { process: engine, runId: runIdPromise, exited } = crash.start(workflowFile);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'child.pid')), "the child's second step to run", 30_000);
    const pid = readPid(join(crash.work, 'child.pid'));
    engine.kill('SIGKILL');
    await exited;

    const recovered = await crash.recover();
    const [parentBefore, child] = [await recovered.call('runs.get', { runId }), (await recovered.call('runs.list', {})).find((r) => r.parent?.runId === runId)!];
    // Both were left running by the dead engine: both interrupted, the child's process stopped.
    expect(parentBefore.status).toBe('interrupted');
    expect(child).toMatchObject({ status: 'interrupted', parent: { runId, step: 1 } });
    expect(stepOf(parentBefore, 1).childRunId).toBe(child.runId);
    expect(isDead(pid)).toBe(true);

    writeFileSync(join(crash.work, 'release'), '');
    await recovered.call('runs.resume', { runId });
    expect(await recovered.waitForRun(runId)).toBe('succeeded');
    const detail = await recovered.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 2, output: 'hello, world', childRunId: child.runId });
    expect(stepOf(detail, 2).output).toBe('parent got: hello, world');
    // One child only, resumed: its first step kept its output and did not run again.
    const children = (await recovered.call('runs.list', {})).filter((r) => r.parent?.runId === runId);
    expect(children.map((c) => [c.runId, c.status])).toEqual([[child.runId, 'succeeded']]);
    expect(readFileSync(join(crash.work, 'counter'), 'utf8').trim().split('\n')).toEqual(['first']);
    const attempt = (await recovered.call('steps.get', { runId, step: 1 })).attemptHistory[1]!;
    expect(attempt.tail).toContain(`resumed child run ${child.runId} (workflow "Greeter")`);
  });
});
