/**
 * Metrics through a whole engine: a real step that asks a question in its terminal, the peaks
 * each attempt's process tree reached, and the live counts and today's counters in the snapshot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/api.js';
import type { MetricsSnapshot, ProcessTreeSample } from '../../../shared/metrics.js';
import { shellStep, useSandbox, waitUntil, workflowOf } from '../helpers.js';
import { allocating } from './metrics-harness.js';

const megabyte = 1_000_000;

describe.runIf(process.platform === 'linux')('a step waiting for input', () => {
  const sandbox = useSandbox('metrics-waiting', { metrics: { sampleIntervalMs: 250, waitingThresholdMs: 500 } });

  it('is announced while a real `read` waits on its terminal, and no longer once answered', async () => {
    const waiting: EventPayload<'step.waiting'>[] = [];
    const ticks: MetricsSnapshot[] = [];
    sandbox.engine.on('step.waiting', (event) => waiting.push(event));
    sandbox.engine.on('metrics.tick', (tick) => ticks.push(tick));
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([shellStep(1, 'printf "Deploy? "; read answer; echo "answer: $answer"'), shellStep(2, 'sleep 2')]),
      baseDir: sandbox.work,
    });

    await waitUntil(() => waiting.length > 0, 'step.waiting', 10_000);
    const terminal = (await sandbox.engine.call('terminals.forStep', { runId, step: 1 }))!;
    expect(waiting).toEqual([{ runId, step: 1, attempt: 1, terminalId: terminal.id, waiting: true }]);
    const snapshot = await sandbox.engine.call('metrics.snapshot', {});
    expect(snapshot.active.stepsWaitingForInput).toBe(1);
    const tree = snapshot.processes.find((p) => p.terminalId === terminal.id)!;
    expect(tree).toMatchObject({ waitingForInput: true, owner: { runId, step: 1, attempt: 1, platform: 'shell', agent: 'shell' } });
    // The step that only sleeps is not waiting for anyone.
    const sleeper = (await sandbox.engine.call('terminals.forStep', { runId, step: 2 }))!;
    expect(snapshot.processes.find((p) => p.terminalId === sleeper.id)?.waitingForInput).toBe(false);

    await sandbox.engine.call('terminals.write', { id: terminal.id, data: 'yes\r' });
    await waitUntil(() => waiting.length > 1, 'the end of the wait', 10_000);
    expect(waiting[1]).toEqual({ runId, step: 1, attempt: 1, terminalId: terminal.id, waiting: false });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect((await sandbox.engine.call('steps.get', { runId, step: 1 })).output).toContain('answer: yes');
    // Step 2 never waited.
    expect(waiting.filter((w) => w.step === 2)).toEqual([]);
  });

  it('is not announced for a step that reads a file, or a pipe', async () => {
    const waiting: EventPayload<'step.waiting'>[] = [];
    sandbox.engine.on('step.waiting', (event) => waiting.push(event));
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([shellStep(1, 'mkfifo pipe; (sleep 2; echo done > pipe) & read line < pipe; echo "$line"')]),
      baseDir: sandbox.work,
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect(waiting).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('resources and counts of runs', () => {
  const sandbox = useSandbox('metrics-runs', { metrics: { sampleIntervalMs: 250 } });

  it("keeps each attempt's peak memory and CPU, and counts the run in today's numbers", async () => {
    const ticks: MetricsSnapshot[] = [];
    sandbox.engine.on('metrics.tick', (tick) => ticks.push(tick));
    const before = await sandbox.engine.call('metrics.snapshot', {});
    // Both steps hold their memory and CPU until a tick has shown them: steps that stopped after 2 s
    // of their own were, under load, stopped before a tick saw them (a peak of 86 MB for 150, a
    // peak CPU of 0 for a busy loop).
    const release = join(sandbox.work, 'release');
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([
        shellStep(1, `${allocating(150)} & pid=$!; until [ -e ${release} ]; do sleep 0.1; done; kill $pid`),
        shellStep(2, `until [ -e ${release} ]; do :; done`),
        shellStep(3, 'exit 3', { dependencies: [1, 2] }),
      ]),
      baseDir: sandbox.work,
    });
    await waitUntil(() => ticks.some((t) => t.active.steps === 2), 'both steps sampled');
    const busy = ticks.find((t) => t.active.steps === 2)!;
    expect(busy.active.runs).toBe(1);
    expect(busy.active.terminals).toBe(2);
    // Shell steps with default settings are not agents, but their trees add up under the tool.
    expect(busy.active.agentsBusy).toBe(0);
    expect(busy.agents.map((a) => [a.agent, a.steps])).toEqual([['shell', 2]]);
    const seen = (step: number, sample: (tree: ProcessTreeSample) => boolean) => ticks.some((t) => t.processes.some((p) => p.owner?.runId === runId && p.owner.step === step && sample(p)));
    await waitUntil(() => seen(1, (tree) => tree.rssBytes > 150 * megabyte) && seen(2, (tree) => tree.cpuPercent > 15), 'both steps at their peaks in a tick', 20_000);
    writeFileSync(release, '');

    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const timeline = await sandbox.engine.call('runs.timeline', { runId });
    const peak = (step: number) => timeline.attempts.find((a) => a.step === step)!;
    expect(peak(1).peakRssBytes).toBeGreaterThan(150 * megabyte);
    expect(peak(2).peakRssBytes).toBeLessThan(50 * megabyte);
    expect(peak(2).peakCpuPercent).toBeGreaterThan(15);

    await waitUntil(() => ticks.at(-1)!.active.runs === 0 && ticks.at(-1)!.processes.length === 0, 'the last tick');
    const after = await sandbox.engine.call('metrics.snapshot', {});
    expect(after.today.runsStarted - before.today.runsStarted).toBe(1);
    expect(after.today.runsFailed - before.today.runsFailed).toBe(1);
    expect(after.today.successRate).toBe(after.today.runsSucceeded / (after.today.runsSucceeded + after.today.runsFailed));
    expect(after.active).toEqual({ runs: 0, steps: 0, terminals: 0, agentsBusy: 0, stepsWaitingForInput: 0 });
  });
});
