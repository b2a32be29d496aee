import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../../electron/engine/runs/ready-queue.js';
import type { StepRuntime } from '../../../electron/engine/runs/step-runtime.js';

const step = (number: number, priority: number) => ({ def: { step: number }, priority }) as unknown as StepRuntime;
const order = (queue: ReadyQueue) => [...queue.inOrder()].map((s) => s.def.step);

describe('the ready queue', () => {
  it('gives the longest remaining path first, then the lower step number', () => {
    const queue = new ReadyQueue();
    for (const s of [step(5, 1), step(2, 3), step(9, 3), step(1, 2), step(7, 1)]) queue.add(s);
    expect(order(queue)).toEqual([2, 9, 1, 5, 7]);
  });

  it('holds a step once however often it is added, and forgets a removed one', () => {
    const queue = new ReadyQueue();
    const join = step(4, 2);
    queue.add(join);
    queue.add(step(3, 1));
    queue.add(join);
    expect(queue.size).toBe(2);
    queue.remove(join);
    expect(order(queue)).toEqual([3]);
    queue.clear();
    expect(queue.size).toBe(0);
  });
});
