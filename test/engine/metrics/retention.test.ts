/**
 * Rollups and retention on a real SQLite file with a clock the test moves: raw samples become
 * one-minute rows, raw ones go after a day (never before they are rolled up), rollups after a
 * month, and pruning works in small batches that let the rest of the engine run in between.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../electron/engine/events/index.js';
import { createMetricsService, type MetricsOptions, type MetricsService } from '../../../electron/engine/metrics/index.js';
import { openStorage, type MetricSampleRow, type Storage } from '../../../electron/engine/storage/index.js';
import { TerminalManager } from '../../../electron/engine/terminals/index.js';
import { makeTempDir, openDatabaseFile, removeDir } from '../helpers.js';

const minute = 60_000;
const day = 24 * 60 * minute;
const t0 = Date.parse('2025-03-01T12:00:00.000Z');

let dir = '';
let storage: Storage;
let clock = t0;
let service: MetricsService | undefined;

beforeEach(() => {
  dir = makeTempDir('metrics-retention');
  storage = openStorage(join(dir, 'data'));
  clock = t0;
});

afterEach(async () => {
  await service?.close();
  service = undefined;
  storage.close();
  removeDir(dir);
});

function startService(options: MetricsOptions = {}): MetricsService {
  const terminals = new TerminalManager({ data: () => undefined, updated: () => undefined });
  service = createMetricsService({ repo: storage.metrics, events: createEventBus(), terminals, activeRuns: () => 0 }, { now: () => clock, ...options });
  return service;
}

/** One sample a `everyMs` in [from, to), of machine.cpu and two agents' CPU; values follow the time. */
function writeSamples(from: number, to: number, everyMs: number): MetricSampleRow[] {
  const rows: MetricSampleRow[] = [];
  for (let at = from; at < to; at += everyMs) {
    const second = (at / 1000) % 60;
    rows.push({ metric: 'machine.cpu', at, label: '', value: second }, { metric: 'agent.cpu', at, label: 'reviewer', value: 100 + second }, { metric: 'agent.cpu', at, label: 'coder', value: 2 * second });
  }
  storage.metrics.recordTick(rows, []);
  return rows;
}

function count(table: string, where = '1 = 1'): number {
  const db = openDatabaseFile(join(dir, 'data'));
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

function rollupsOf(metric: string, label: string): { minute: number; count: number; sum: number; min: number; max: number }[] {
  const db = openDatabaseFile(join(dir, 'data'));
  try {
    return db.prepare(`SELECT minute, count, sum, min, max FROM metric_rollups WHERE metric = ? AND label = ? ORDER BY minute`).all(metric, label) as never;
  } finally {
    db.close();
  }
}

describe('metrics retention', () => {
  it('rolls every closed minute up into count, sum, min and max per label, and leaves the open minute raw', async () => {
    const metrics = startService();
    // Three whole minutes, and 30 seconds of the minute that is still open at t0 + 30 s.
    writeSamples(t0 - 3 * minute, t0 + 30_000, 1000);
    clock = t0 + 30_500;
    await metrics.maintain();

    const machine = rollupsOf('machine.cpu', '');
    expect(machine.map((r) => r.minute)).toEqual([t0 - 3 * minute, t0 - 2 * minute, t0 - minute]);
    // Seconds 0..59 of each minute: 60 samples summing to 1770, from 0 to 59.
    for (const row of machine) expect(row).toMatchObject({ count: 60, sum: 1770, min: 0, max: 59 });
    expect(rollupsOf('agent.cpu', 'reviewer')[0]).toMatchObject({ count: 60, sum: 6000 + 1770, min: 100, max: 159 });
    expect(rollupsOf('agent.cpu', 'coder')[0]).toMatchObject({ count: 60, sum: 3540, min: 0, max: 118 });
    // The minute that is not over stays raw only; the rolled minutes stay raw too, for a day.
    expect(count('metric_rollups', `minute >= ${t0}`)).toBe(0);
    expect(count('metric_samples', `metric = 'machine.cpu'`)).toBe(3 * 60 + 30);

    // A later pass rolls up only what closed since: nothing is counted twice.
    writeSamples(t0 + 30_000, t0 + minute, 1000);
    clock = t0 + minute + 10_000;
    await metrics.maintain();
    expect(rollupsOf('machine.cpu', '').map((r) => [r.minute, r.count])).toEqual([
      [t0 - 3 * minute, 60],
      [t0 - 2 * minute, 60],
      [t0 - minute, 60],
      [t0, 60],
    ]);
  });

  it('keeps raw samples a day and rollups a month', async () => {
    const metrics = startService();
    writeSamples(t0 - 2 * day, t0 - 2 * day + 2 * minute, 10_000);
    writeSamples(t0 - 10 * minute, t0, 10_000);
    await metrics.maintain();

    // The old raw samples are gone, their minutes kept as rollups; the recent ones are kept raw.
    expect(count('metric_samples', `at < ${t0 - day}`)).toBe(0);
    expect(count('metric_samples', `at >= ${t0 - 10 * minute}`)).toBe(3 * 60);
    expect(count('metric_rollups', `metric = 'machine.cpu' AND minute < ${t0 - day}`)).toBe(2);

    // A month later the rollups of two days before t0 go too; those of the last ten minutes stay a while.
    clock = t0 + 29 * day;
    await metrics.maintain();
    expect(count('metric_rollups', `minute < ${t0 - day}`)).toBe(0);
    expect(count('metric_rollups', `metric = 'machine.cpu' AND minute >= ${t0 - 10 * minute}`)).toBe(10);
    expect(count('metric_samples')).toBe(0);
    clock = t0 + 31 * day;
    await metrics.maintain();
    expect(count('metric_rollups')).toBe(0);
  });

  it('never deletes a raw sample before it is rolled up, however short the retention', async () => {
    const metrics = startService({ rawRetentionMs: 1 });
    writeSamples(t0 - 2 * minute, t0 + 20_000, 1000);
    clock = t0 + 20_001;
    await metrics.maintain();
    expect(count('metric_samples', `metric = 'machine.cpu'`)).toBe(20);
    expect(rollupsOf('machine.cpu', '').map((r) => r.count)).toEqual([60, 60]);
  });

  it('prunes in small batches, letting other work run between them', async () => {
    const metrics = startService({ pruneBatchRows: 100 });
    writeSamples(t0 - 3 * day, t0 - 3 * day + 30 * minute, 1000);
    expect(count('metric_samples')).toBe(3 * 30 * 60);

    let turns = 0;
    let counting = true;
    const countTurns = () => {
      turns++;
      if (counting) setImmediate(countTurns);
    };
    setImmediate(countTurns);
    await metrics.maintain();
    counting = false;

    expect(count('metric_samples')).toBe(0);
    // 5,400 rows in batches of 100: the event loop turned between them, dozens of times.
    expect(turns).toBeGreaterThanOrEqual(50);
  });
});
