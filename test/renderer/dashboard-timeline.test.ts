import { describe, expect, it } from 'vitest';
import type { RunTimeline } from '../../shared/runs.js';
import { axisTicks, layoutTimeline, minBarPercent, tickLabelPx, ticksFor, type TimelineAttempt } from '../../renderer/dashboard/timeline-layout.js';

const t0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

function attempt(step: number, number: number, from: number, to: number | null, patch: Partial<TimelineAttempt> = {}): TimelineAttempt {
  return {
    step,
    title: `Step ${step}`,
    attempt: number,
    status: to === null ? 'running' : 'succeeded',
    startedAt: iso(from),
    finishedAt: to === null ? null : iso(to),
    exitCode: to === null ? null : 0,
    signal: null,
    error: null,
    tail: '',
    agentId: null,
    platform: 'shell',
    sessionId: null,
    costUsd: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    peakCpuPercent: null,
    peakRssBytes: null,
    ...patch,
  };
}

function timeline(attempts: TimelineAttempt[], startedAt: number | null = 0, finishedAt: number | null = null): RunTimeline {
  return { runId: 'r1', startedAt: startedAt === null ? null : iso(startedAt), finishedAt: finishedAt === null ? null : iso(finishedAt), attempts };
}

describe('the run timeline layout', () => {
  it('puts every attempt of a retried step on its row, in order, with the gaps of the retry waits', () => {
    const layout = layoutTimeline(
      timeline(
        [
          attempt(1, 1, 0, 10),
          attempt(2, 1, 10, 20, { status: 'failed', exitCode: 1 }),
          attempt(2, 2, 30, 40, { status: 'failed', exitCode: 1 }),
          attempt(2, 3, 60, 100),
        ],
        0,
        100,
      ),
      t0 + 500_000,
    );
    expect(layout.startMs).toBe(t0);
    expect(layout.endMs).toBe(t0 + 100_000);
    expect(layout.rows.map((r) => r.step)).toEqual([1, 2]);
    const retried = layout.rows[1]!;
    expect(retried.bars.map((b) => [b.attempt.attempt, b.attempt.status, b.leftPercent, b.widthPercent])).toEqual([
      [1, 'failed', 10, 10],
      [2, 'failed', 30, 10],
      [3, 'succeeded', 60, 40],
    ]);
    expect(retried.bars.every((b) => !b.running)).toBe(true);
  });

  it('grows a running attempt to now and stretches the axis with it', () => {
    const data = timeline([attempt(1, 1, 0, 5), attempt(2, 1, 5, null)]);
    const early = layoutTimeline(data, t0 + 10_000);
    expect(early.endMs).toBe(t0 + 10_000);
    expect(early.rows[1]!.bars[0]).toMatchObject({ running: true, leftPercent: 50, widthPercent: 50, endMs: t0 + 10_000 });

    const later = layoutTimeline(data, t0 + 20_000);
    expect(later.rows[1]!.bars[0]).toMatchObject({ running: true, leftPercent: 25, widthPercent: 75 });
    expect(later.rows[0]!.bars[0]!.widthPercent).toBe(25);
  });

  it('keeps the axis moving to now while a running run waits to retry (no attempt running)', () => {
    const layout = layoutTimeline(timeline([attempt(1, 1, 0, 2, { status: 'failed' })]), t0 + 8000);
    expect(layout.endMs).toBe(t0 + 8000);
    expect(layout.rows[0]!.bars[0]!.widthPercent).toBe(25);
  });

  it('gives an instant attempt a bar one can point at, inside the chart', () => {
    const layout = layoutTimeline(timeline([attempt(1, 1, 0, 100), attempt(2, 1, 100, 100)], 0, 100), t0);
    const instant = layout.rows[1]!.bars[0]!;
    expect(instant.widthPercent).toBeCloseTo(minBarPercent, 9);
    expect(instant.leftPercent + instant.widthPercent).toBeLessThanOrEqual(100);
  });

  it('takes each step\'s resource peaks as the highest over its attempts', () => {
    const layout = layoutTimeline(
      timeline([
        attempt(1, 1, 0, 1, { status: 'failed', peakCpuPercent: 95, peakRssBytes: 1e6 }),
        attempt(1, 2, 2, 3, { peakCpuPercent: 40, peakRssBytes: 8e6 }),
        attempt(2, 1, 3, 4),
      ], 0, 4),
      t0,
    );
    expect(layout.rows[0]).toMatchObject({ peakCpuPercent: 95, peakRssBytes: 8e6 });
    expect(layout.rows[1]).toMatchObject({ peakCpuPercent: null, peakRssBytes: null });
  });

  it('adds rows for steps known to the run that have no attempt yet, with their status', () => {
    const layout = layoutTimeline(timeline([attempt(2, 1, 0, null)]), t0 + 3000, [
      { step: 1, title: 'Lint', status: 'skipped' },
      { step: 2, title: 'Build', status: 'running' },
      { step: 3, title: 'Ship', status: 'pending' },
    ]);
    expect(layout.rows.map((r) => [r.step, r.title, r.status, r.bars.length])).toEqual([
      [1, 'Lint', 'skipped', 0],
      [2, 'Build', 'running', 1],
      [3, 'Ship', 'pending', 0],
    ]);
  });

  it('lays out a run that has not started yet without bars or marks', () => {
    const layout = layoutTimeline(timeline([], null), t0, [{ step: 1, title: 'Build', status: 'pending' }]);
    expect(layout.rows).toHaveLength(1);
    expect(layout.ticks).toEqual([]);
  });

  it('marks the axis at round offsets, from two to about six marks', () => {
    expect(axisTicks(100_000).map((t) => t.offsetMs / 1000)).toEqual([0, 30, 60, 90]);
    expect(axisTicks(4000).map((t) => t.offsetMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(axisTicks(3 * 3_600_000).map((t) => t.offsetMs / 60_000)).toEqual([0, 30, 60, 90, 120, 150, 180]);
    expect(axisTicks(0)).toEqual([]);
  });

  it('puts no more marks than the axis has room for, and always the start and one more', () => {
    expect(axisTicks(5700, ticksFor(7 * tickLabelPx)).map((t) => t.offsetMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(axisTicks(5700, ticksFor(6 * tickLabelPx)).map((t) => t.offsetMs)).toEqual([0, 2000, 4000]);
    expect(axisTicks(5700, ticksFor(3 * tickLabelPx)).map((t) => t.offsetMs)).toEqual([0, 5000]);
    expect(axisTicks(5700, ticksFor(100)).map((t) => t.offsetMs)).toEqual([0, 5000]);
    expect(axisTicks(100_000, ticksFor(4 * tickLabelPx)).map((t) => t.offsetMs / 1000)).toEqual([0, 60]);
    // Not measured yet: the default.
    expect(ticksFor(0)).toBe(7);
  });
});
