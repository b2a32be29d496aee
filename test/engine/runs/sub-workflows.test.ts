import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { holdsPid, isDead, liveGroupMembers, readPid, shellStep, stepOf, useSandbox, waitUntil, workflowOf, type StepSpec } from '../helpers.js';

const sandbox = useSandbox('sub-workflows');

const sub = (step: number, inputs: Record<string, unknown>, extra: Partial<StepSpec> = {}): StepSpec => ({ step, platform: 'workflow', inputs, dependencies: [], ...extra });

async function save(name: string, steps: StepSpec[]): Promise<string> {
  return (await sandbox.engine.call('workflows.save', { workflow: workflowOf(steps, name) })).id;
}

async function start(steps: StepSpec[], name = 'parent'): Promise<string> {
  return (await sandbox.engine.call('runs.start', { workflow: workflowOf(steps, name), baseDir: sandbox.work })).runId;
}

const get = (runId: string): Promise<RunDetail> => sandbox.engine.call('runs.get', { runId });

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The child run a step started, once it has one. */
async function childOf(runId: string, step: number): Promise<string> {
  let child: string | undefined;
  await waitFor(async () => Boolean((child = stepOf(await get(runId), step).childRunId)), `step ${step} to start its child run`);
  return child!;
}

describe('a sub-workflow step', () => {
  it('runs a saved workflow as a child run with its inputs, and gets its final steps\' outputs back', async () => {
    await save('Summarize', [
      shellStep(1, 'echo "topic={{inputs.topic}} n={{inputs.count}}"'),
      shellStep(2, 'echo "done {{steps.1.output}}"', { dependencies: [1] }),
    ]);
    const twoFinals = await save('Two ends', [shellStep(1, 'echo left'), shellStep(2, 'echo right')]);
    const runId = await start([
      shellStep(1, 'echo docs'),
      sub(2, { workflow: 'Summarize', topic: '{{steps.1.output}}', count: 3 }, { dependencies: [1] }),
      shellStep(3, 'echo "got {{steps.2.output}}"', { dependencies: [2] }),
      // By id; several final steps: a JSON object by step number.
      sub(4, { workflow: twoFinals }, { output: 'json' }),
      shellStep(5, 'echo "{{steps.4.json.2}}"', { dependencies: [4] }),
    ]);
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await get(runId);
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', output: 'done topic=docs n=3', agentId: null, agentNote: null });
    expect(stepOf(detail, 3).output).toBe('got done topic=docs n=3');
    expect(JSON.parse(stepOf(detail, 4).output!)).toEqual({ 1: 'left', 2: 'right' });
    expect(stepOf(detail, 5).output).toBe('right');

    // Linked both ways, and in the run history as any run.
    const child = stepOf(detail, 2).childRunId!;
    const childDetail = await get(child);
    expect(childDetail).toMatchObject({ workflowName: 'Summarize', status: 'succeeded', parent: { runId, step: 2 } });
    expect(detail.parent).toBeUndefined();
    const listed = await sandbox.engine.call('runs.list', {});
    expect(listed.find((r) => r.runId === child)).toMatchObject({ parent: { runId, step: 2 } });
    expect(listed).toHaveLength(3);
    const attempt = (await sandbox.engine.call('steps.get', { runId, step: 2 })).attemptHistory[0]!;
    expect(attempt.tail).toContain(`started child run ${child} (workflow "Summarize")`);
  });

  it('refuses before the run starts workflows that run each other, naming the chain', async () => {
    await save('A', [shellStep(1, 'touch ran-a'), sub(2, { workflow: 'B' }, { dependencies: [1] })]);
    await save('B', [sub(1, { workflow: 'A' })]);
    await expect(start([sub(1, { workflow: 'A' })], 'top')).rejects.toThrow(
      'in "B" (run by "top" → "A"): workflow[0].inputs.workflow: workflows run each other in a cycle: A → B → A; a workflow cannot run itself, directly or through others',
    );
    await expect(start([sub(1, { workflow: 'Nothing' })])).rejects.toThrow('workflow[0].inputs.workflow: no saved workflow has the id or name "Nothing"; save it first, or correct the name');
    await save('Needs', [shellStep(1, 'echo {{inputs.topic}} {{inputs.depth}}')]);
    await expect(start([sub(1, { workflow: 'Needs', topic: 'x' })])).rejects.toThrow('workflow[0].inputs: "Needs" reads {{inputs.depth}}, which this step does not pass; add "depth" to its inputs');
    // Two saved workflows with one name: which one is meant is not guessed.
    const dups = [await save('Dup', [shellStep(1, 'true')]), await save('Dup', [shellStep(1, 'true')])];
    await expect(start([sub(1, { workflow: 'Dup' })])).rejects.toThrow(`2 saved workflows are named "Dup" (ids ${dups.sort().join(', ')}); name one by its id, or rename the others`);
    // Nine deep: W1 runs W2 … runs W9.
    for (let n = 9; n >= 1; n--) await save(`W${n}`, n === 9 ? [shellStep(1, 'true')] : [sub(1, { workflow: `W${n + 1}` })]);
    // Eight deep (W0, then W3 … W9) runs: each child is checked again as it starts, with the runs above it.
    expect(await sandbox.engine.waitForRun(await start([sub(1, { workflow: 'W3' })], 'W0'))).toBe('succeeded');
    await expect(start([sub(1, { workflow: 'W1' })], 'top')).rejects.toThrow('sub-workflows nest deeper than 8 (top → W1 → W2 → W3 → W4 → W5 → W6 → W7 → W8); flatten some of them');
    // Nothing was written, nothing ran.
    expect((await sandbox.engine.call('runs.list', {})).filter((r) => r.workflowName !== 'W0' && r.parent === undefined)).toEqual([]);
    expect(existsSync(join(sandbox.work, 'ran-a'))).toBe(false);
  });

  it('refuses at run time a child that would run a workflow already running above it (saved differently since)', async () => {
    const parentId = await save('P', [shellStep(1, 'while [ ! -e go ]; do sleep 0.05; done'), sub(2, { workflow: 'B' }, { dependencies: [1] })]);
    const bId = await save('B', [shellStep(1, 'echo b')]);
    const { runId } = await sandbox.engine.call('runs.start', { workflowId: parentId, baseDir: sandbox.work });
    // While P runs, B is changed to run P: P's own check, before it started, could not see it.
    await sandbox.engine.call('workflows.save', { id: bId, workflow: workflowOf([sub(1, { workflow: 'P' })], 'B') });
    writeFileSync(join(sandbox.work, 'go'), '');
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await get(runId);
    expect(stepOf(detail, 2)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'in "B" (run by "P"): workflow[0].inputs.workflow: workflows run each other in a cycle: P → B → P; a workflow cannot run itself, directly or through others',
    });
    // Refused before B's run was written: P never ran a second time.
    expect((await sandbox.engine.call('runs.list', {})).map((r) => r.workflowName)).toEqual(['P']);
  });

  it('is cancelled with its parent: the child run is cancelled and its processes stopped', async () => {
    await save('Slow', [shellStep(1, 'echo $$ > child.pid; exec sleep 300')]);
    const runId = await start([sub(1, { workflow: 'Slow' })]);
    const child = await childOf(runId, 1);
    await waitUntil(() => holdsPid(join(sandbox.work, 'child.pid')), 'the child step to start', 30_000);
    const pid = readPid(join(sandbox.work, 'child.pid'));
    await sandbox.engine.call('runs.cancel', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    expect(await sandbox.engine.waitForRun(child)).toBe('cancelled');
    expect(stepOf(await get(child), 1)).toMatchObject({ status: 'cancelled', error: 'cancelled with its parent run' });
    expect(stepOf(await get(runId), 1).status).toBe('cancelled');
    expect(isDead(pid)).toBe(true);
    expect(liveGroupMembers(pid)).toEqual([]);
  });

  it('cancels its child when it times out, and starts a new child for each attempt its retry policy allows', async () => {
    await save('Hangs', [shellStep(1, 'echo started >> attempts; echo $$ >> pids; exec sleep 300')]);
    const runId = await start([sub(1, { workflow: 'Hangs' }, { timeout: 1500, retryPolicy: { maxAttempts: 2, initialIntervalMs: 0 } })]);
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await get(runId);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'timed_out', attempts: 2 });
    const children = (await sandbox.engine.call('runs.list', {})).filter((r) => r.parent?.runId === runId);
    expect(children.map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
    for (const child of children) expect(stepOf(await get(child.runId), 1).error).toBe("cancelled: its parent step's timeout passed");
    expect(stepOf(detail, 1).childRunId).toBe(children[0]!.runId);
    expect(readFileSync(join(sandbox.work, 'attempts'), 'utf8').trim().split('\n')).toHaveLength(2);
    for (const pid of readFileSync(join(sandbox.work, 'pids'), 'utf8').trim().split('\n').map(Number)) expect(isDead(pid)).toBe(true);
  });

  it('fails when its child fails, saying which step of the child and why', async () => {
    await save('Breaks', [shellStep(1, 'echo ok'), shellStep(2, 'echo broken >&2; exit 7', { dependencies: [1] })]);
    const runId = await start([sub(1, { workflow: 'Breaks' }), shellStep(2, 'touch after', { dependencies: [1] })]);
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await get(runId);
    const child = stepOf(detail, 1).childRunId!;
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', error: `child run ${child} ("Breaks") failed: step 2 (Step 2) failed: exited with code 7` });
    expect(stepOf(detail, 2).status).toBe('skipped');
  });
});
