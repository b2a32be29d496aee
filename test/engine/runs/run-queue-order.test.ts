import { describe, expect, it } from 'vitest';
import { priorityRank, RunQueue } from '../../../electron/engine/runs/run-queue.js';

/**
 * The queue of runs waiting for a slot holds each run's rank itself (a start used to read every
 * waiting run's definition from the database): highest priority first, then the oldest, and a
 * priority changed while waiting counts.
 */
describe('the run queue', () => {
  it('gives the highest priority first, then the oldest, and follows a priority changed while waiting', () => {
    const queue = new RunQueue();
    queue.add('old-normal', '2026-01-01T00:00:01.000Z', priorityRank(undefined));
    queue.add('new-high', '2026-01-01T00:00:03.000Z', priorityRank('high'));
    queue.add('old-low', '2026-01-01T00:00:00.000Z', priorityRank('low'));
    queue.add('mid-high', '2026-01-01T00:00:02.000Z', priorityRank('HIGH '));
    queue.rerank('old-low', priorityRank('critical'));
    queue.rerank('not-waiting', priorityRank('critical'));

    const order: string[] = [];
    for (let next = queue.take(); next; next = queue.take()) order.push(next.runId);
    expect(order).toEqual(['old-low', 'mid-high', 'new-high', 'old-normal']);
    expect(queue.size).toBe(0);
  });
});
