import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/metrics.js';
import type { RunSummary } from '../../shared/runs.js';
import { costSplit, groupedColumns, groupOfIndex } from '../../renderer/dashboard/metric-shaping.js';
import { runsIn } from '../../renderer/dashboard/RunsBehind.js';

describe('bars side by side', () => {
  it('gives each series its own slot in each group, so no bar covers another', () => {
    const [xs, started, succeeded, failed] = groupedColumns([0, 3600], [[3, 1], [2, 1], [1, 0]], 3600);
    expect(xs).toHaveLength(6);
    // Within a group the slots are apart by more than the 90 % of a slot a bar is drawn wide.
    const slot = xs[1]! - xs[0]!;
    expect(slot).toBeGreaterThan(0);
    expect(xs[2]! - xs[1]!).toBeCloseTo(slot);
    // Groups stay inside their own width: the last slot of one is before the first slot of the next.
    expect(xs[3]! - xs[2]!).toBeGreaterThan(slot);
    expect(Math.max(...xs.slice(0, 3))).toBeLessThan(1800);
    // Each series has a value only at its own slot.
    expect(started).toEqual([3, null, null, 1, null, null]);
    expect(succeeded).toEqual([null, 2, null, null, 1, null]);
    expect(failed).toEqual([null, null, 1, null, null, 0]);
    expect([0, 1, 2, 3, 4, 5].map((i) => groupOfIndex(i, 3))).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('cost by agent and by tool', () => {
  it('keeps the tools of steps without a saved agent out of the agents', () => {
    const cost: MetricSeries = {
      metric: 'cost.usd',
      step: 3600,
      series: [
        { labels: { workflow: 'w', agent: 'reviewer', tool: 'claude-code' }, points: [[0, 0.5]] },
        { labels: { workflow: 'w', agent: 'claude-code', tool: 'claude-code' }, points: [[0, 0.25], [3600, 0.25]] },
        { labels: { workflow: 'w', agent: 'writer', tool: 'codex' }, points: [[0, 0.1]] },
      ],
    };
    expect(costSplit(cost)).toEqual({
      byAgent: [
        { name: 'reviewer', total: 0.5 },
        { name: 'writer', total: 0.1 },
      ],
      byTool: [
        { name: 'claude-code', total: 1 },
        { name: 'codex', total: 0.1 },
      ],
    });
  });
});

describe('the runs behind a bar', () => {
  const run = (runId: string, createdAt: string, finishedAt: string | null): RunSummary => ({
    runId,
    workflowId: null,
    workflowName: runId,
    status: finishedAt ? 'succeeded' : 'running',
    concurrency: 1,
    createdAt,
    startedAt: createdAt,
    finishedAt,
    counts: { total: 1, pending: 0, running: 0, succeeded: 1, failed: 0, skipped: 0, cancelled: 0 },
  });

  it('are those that started or ended in it, as the bars count them', () => {
    const from = Date.parse('2026-03-01T10:00:00.000Z');
    const to = from + 3_600_000;
    const runs = [
      run('before', '2026-03-01T09:10:00.000Z', '2026-03-01T09:20:00.000Z'),
      run('ended-in', '2026-03-01T09:50:00.000Z', '2026-03-01T10:05:00.000Z'),
      run('started-in', '2026-03-01T10:59:59.999Z', null),
      run('after', '2026-03-01T11:00:00.000Z', '2026-03-01T11:01:00.000Z'),
    ];
    expect(runsIn(runs, { from, to }).map((r) => r.runId)).toEqual(['ended-in', 'started-in']);
  });
});
