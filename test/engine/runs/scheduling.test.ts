import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../../../shared/runs.js';
import { maxOverlap, readInterval, runToEnd, shellStep, stamped, stepOf, useSandbox, type Sandbox } from '../helpers.js';

const sandbox = useSandbox('scheduling');

/** The most steps the engine reported `running` at the same time, from its own events. */
function watchRunningCount(box: Sandbox): () => number {
  const statuses = new Map<number, StepStatus>();
  let most = 0;
  box.engine.on('step.updated', ({ step }) => {
    statuses.set(step.step, step.status);
    most = Math.max(most, [...statuses.values()].filter((s) => s === 'running').length);
  });
  return () => most;
}

describe('scheduling', () => {
  it('runs the two middle steps of a diamond at the same time, and the last after both', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, stamped('t1', 'true')),
      shellStep(2, stamped('t2', 'sleep 0.3'), { dependencies: [1] }),
      shellStep(3, stamped('t3', 'sleep 0.3'), { dependencies: [1] }),
      shellStep(4, stamped('t4', 'true'), { dependencies: [2, 3] }),
    ]);
    expect(status).toBe('succeeded');
    expect(detail.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);

    const [t1, t2, t3, t4] = ['t1', 't2', 't3', 't4'].map((name) => readInterval(join(sandbox.work, name)));
    // Each middle step started before the other ended: they overlapped.
    expect(t2!.start).toBeLessThan(t3!.end);
    expect(t3!.start).toBeLessThan(t2!.end);
    expect(t1!.end).toBeLessThanOrEqual(Math.min(t2!.start, t3!.start));
    expect(t4!.start).toBeGreaterThanOrEqual(Math.max(t2!.end, t3!.end));
  });

  it('never runs more steps at once than the concurrency limit', async () => {
    const mostRunning = watchRunningCount(sandbox);
    const steps = [1, 2, 3, 4, 5, 6].map((n) => shellStep(n, stamped(`t${n}`, 'sleep 0.25')));
    const { status, detail } = await runToEnd(sandbox, steps, 2);
    expect(status).toBe('succeeded');
    expect(detail.concurrency).toBe(2);
    const intervals = steps.map((s) => readInterval(join(sandbox.work, `t${s.step}`)));
    expect(maxOverlap(intervals)).toBe(2);
    expect(mostRunning()).toBe(2);
  });

  it('runs up to 4 steps at once by default', async () => {
    const mostRunning = watchRunningCount(sandbox);
    const steps = [1, 2, 3, 4, 5, 6].map((n) => shellStep(n, stamped(`t${n}`, 'sleep 0.4')));
    const { status, detail } = await runToEnd(sandbox, steps);
    expect(status).toBe('succeeded');
    expect(detail.concurrency).toBe(4);
    expect(maxOverlap(steps.map((s) => readInterval(join(sandbox.work, `t${s.step}`))))).toBe(4);
    expect(mostRunning()).toBe(4);
  });

  it('starts the ready step with the longest remaining path first', async () => {
    // Steps 1 and 2 stand alone; 3 -> 4 -> 5 is a chain. With one slot, the chain's head goes first
    // although its number is higher, then 4 (two steps left) before the single steps.
    const log = (n: number) => `echo ${n} >> order`;
    const { status } = await runToEnd(
      sandbox,
      [shellStep(1, log(1)), shellStep(2, log(2)), shellStep(3, log(3)), shellStep(4, log(4), { dependencies: [3] }), shellStep(5, log(5), { dependencies: [4] })],
      1,
    );
    expect(status).toBe('succeeded');
    const order = readFileSync(join(sandbox.work, 'order'), 'utf8').trim().split('\n').map(Number);
    expect(order.slice(0, 2)).toEqual([3, 4]);
    expect([...order].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('follows dependencies on later-numbered steps, whatever the order of the file', async () => {
    const log = (n: number) => `echo ${n} >> order`;
    const { status } = await runToEnd(sandbox, [shellStep(1, log(1), { dependencies: [3] }), shellStep(2, log(2), { dependencies: [1] }), shellStep(3, log(3))]);
    expect(status).toBe('succeeded');
    expect(readFileSync(join(sandbox.work, 'order'), 'utf8').trim().split('\n').map(Number)).toEqual([3, 1, 2]);
  });

  it('runs a step in its cwd, relative to the run folder', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'mkdir -p sub/dir'), shellStep(2, 'pwd', { dependencies: [1], cwd: 'sub/dir' })]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 2).output).toBe(join(sandbox.work, 'sub', 'dir'));
  });
});
