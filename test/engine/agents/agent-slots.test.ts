/**
 * An agent runs at most its maxConcurrentSteps steps at once, across runs; a step waiting for it
 * stays pending without holding back steps that do not need it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxOverlap, readInterval, stamped, useSandbox, workflowOf, type StepSpec } from '../helpers.js';

describe("an agent's maxConcurrentSteps", () => {
  const sandbox = useSandbox('agent-slots', { loginShell: false });

  const agentStep = (step: number, agent: string | undefined, stamp: string, seconds = 0.4): StepSpec => ({
    step,
    platform: 'shell',
    ...(agent ? { agent } : {}),
    inputs: { command: stamped(join(sandbox.work, stamp), `sleep ${seconds}`) },
    dependencies: [],
  });

  it('queues its steps one at a time while other steps of the run go ahead', async () => {
    await sandbox.engine.call('agents.save', { agent: { id: 'solo', name: 'Solo', tool: 'shell', maxConcurrentSteps: 1 } });
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([agentStep(1, 'solo', 's1'), agentStep(2, 'solo', 's2'), agentStep(3, 'solo', 's3'), agentStep(4, undefined, 'free', 0.2)]),
      baseDir: sandbox.work,
      concurrency: 4,
    });
    // While the agent is busy its other steps wait as pending; the step without an agent runs.
    let statuses: string[] = [];
    const deadline = Date.now() + 10_000;
    while (!statuses.includes('running') && Date.now() < deadline) {
      statuses = (await sandbox.engine.call('runs.get', { runId })).steps.map((s) => s.status);
    }
    expect(statuses.slice(0, 3).sort()).toEqual(['pending', 'pending', 'running']);
    expect(statuses[3]).toBe('running');
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');

    const solo = ['s1', 's2', 's3'].map((name) => readInterval(join(sandbox.work, name)));
    expect(maxOverlap(solo)).toBe(1);
    // The step without an agent ran alongside the first of the agent's steps, not after all three.
    const free = readInterval(join(sandbox.work, 'free'));
    const firstSolo = solo.reduce((a, b) => (a.start < b.start ? a : b));
    expect(maxOverlap([free, firstSolo])).toBe(2);
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => s.agentId)).toEqual(['solo', 'solo', 'solo', null]);
  });

  it('counts steps of every run against the same agent, and a larger limit lets more run at once', async () => {
    await sandbox.engine.call('agents.save', { agent: { id: 'pair', name: 'Pair', tool: 'shell', maxConcurrentSteps: 2 } });
    const starts = [0, 1].map((run) =>
      sandbox.engine.call('runs.start', {
        workflow: workflowOf([agentStep(1, 'pair', `r${run}-a`), agentStep(2, 'pair', `r${run}-b`)]),
        baseDir: sandbox.work,
        concurrency: 4,
      }),
    );
    const runIds = (await Promise.all(starts)).map((r) => r.runId);
    for (const runId of runIds) expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const intervals = ['r0-a', 'r0-b', 'r1-a', 'r1-b'].map((name) => readInterval(join(sandbox.work, name)));
    expect(maxOverlap(intervals)).toBe(2);
    const stats = (await sandbox.engine.call('agents.stats', undefined)).find((s) => s.agentId === 'pair')!;
    expect(stats).toMatchObject({ status: 'idle', stepsDone: 4, succeeded: 4, successRate: 1, costUsd: 0, running: [] });
  });

  it('fails an "auto" step with what to add when no saved agent can run it', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([{ step: 1, platform: 'shell', agent: 'auto', requires: ['quantum'], inputs: { command: 'echo ran' }, dependencies: [] }]),
      baseDir: sandbox.work,
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const step = (await sandbox.engine.call('runs.get', { runId })).steps[0]!;
    expect(step).toMatchObject({
      status: 'failed',
      agentId: null,
      error: 'no saved agent can run this step ("agent": "auto"): add an agent with the capabilities ["quantum"] and an installed tool',
    });
    expect(step.output?.split('\n')).not.toContain('ran');
  });
});
