/**
 * `metrics.series` through the engine's contract, on a real SQLite file: sampled metrics averaged
 * into buckets from raw samples or one-minute rollups, and counters, sums and duration quantiles
 * counted from the runs, steps and attempts the database holds.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../electron/engine/events/index.js';
import type { Engine } from '../../../electron/engine/index.js';
import { createMetricsService, type MetricsService } from '../../../electron/engine/metrics/index.js';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';
import { TerminalManager } from '../../../electron/engine/terminals/index.js';
import type { MetricName, MetricSeries } from '../../../shared/metrics.js';
import { makeTempDir, openDatabaseFile, removeDir, startEngine } from '../helpers.js';

const at = (time: string) => Date.parse(`2025-04-01T${time}Z`);
const iso = (time: string) => `2025-04-01T${time}Z`;
const from = at('10:00:00.000');
const to = at('10:02:59.999');

let dir = '';
let engine: Engine;
let writer: Storage;
let clock = 0;
let maintenance: MetricsService;

beforeEach(async () => {
  dir = makeTempDir('metrics-series');
  engine = await startEngine(join(dir, 'data'));
  // A second connection writes what a sampler and past runs would have left.
  writer = openStorage(join(dir, 'data'));
  clock = at('10:03:10.000');
  maintenance = createMetricsService(
    { repo: writer.metrics, events: createEventBus(), terminals: new TerminalManager({ data: () => undefined, updated: () => undefined }), activeRuns: () => 0 },
    { now: () => clock },
  );
});

afterEach(async () => {
  await maintenance.close();
  writer.close();
  await engine.close();
  removeDir(dir);
});

function series(metric: MetricName, step: number, range: { from: number; to: number } = { from, to }): Promise<MetricSeries> {
  return engine.call('metrics.series', { metric, from: range.from, to: range.to, step });
}

/** Each second of three minutes: machine CPU equal to the second of its minute, and two agents' memory. */
function writeSamples(): void {
  const rows = [];
  for (let t = from; t <= to; t += 1000) {
    const second = (t / 1000) % 60;
    rows.push(
      { metric: 'machine.cpu', at: t, label: '', value: second },
      { metric: 'agent.memory', at: t, label: 'reviewer', value: 1000 * second },
      ...(t < at('10:01:00.000') ? [{ metric: 'agent.memory', at: t, label: 'coder', value: 7 }] : []),
    );
  }
  writer.metrics.recordTick(rows, []);
}

describe('metrics.series for sampled metrics', () => {
  it('averages raw samples into buckets aligned to the step, one series per agent', async () => {
    writeSamples();
    const cpu = await series('machine.cpu', 10, { from: at('10:00:00.000'), to: at('10:00:29.999') });
    expect(cpu).toEqual({ metric: 'machine.cpu', step: 10, series: [{ labels: {}, points: [[from, 4.5], [from + 10_000, 14.5], [from + 20_000, 24.5]] }] });

    const memory = await series('agent.memory', 60);
    expect(memory.series).toEqual([
      { labels: { agent: 'coder' }, points: [[from, 7]] },
      { labels: { agent: 'reviewer' }, points: [[from, 29_500], [from + 60_000, 29_500], [from + 120_000, 29_500]] },
    ]);
    // Buckets with no samples are left out: nothing was sampled after 10:03.
    expect((await series('machine.cpu', 60, { from, to: at('10:10:00.000') })).series[0]!.points).toHaveLength(3);
  });

  it('reads one-minute rollups once raw samples are gone, and gives the same minute means', async () => {
    writeSamples();
    const before = await series('machine.cpu', 60);
    await maintenance.maintain();
    // Two days later the raw samples are past their day; the rollups answer alone.
    clock += 2 * 24 * 60 * 60 * 1000;
    await maintenance.maintain();
    const db = openDatabaseFile(join(dir, 'data'));
    expect(db.prepare(`SELECT COUNT(*) FROM metric_samples`).pluck().get()).toBe(0);
    db.close();

    const after = await series('machine.cpu', 60);
    expect(after).toEqual(before);
    expect(after.series[0]!.points).toEqual([[from, 29.5], [from + 60_000, 29.5], [from + 120_000, 29.5]]);
    // A finer step than the rollups have: each minute's mean at its start.
    expect((await series('machine.cpu', 10)).series[0]!.points).toEqual([[from, 29.5], [from + 60_000, 29.5], [from + 120_000, 29.5]]);
    // Five-minute buckets add minutes up by their sample counts.
    expect((await series('machine.cpu', 300)).series[0]!.points).toEqual([[from, 29.5]]);
  });

  it('reads the minute not rolled up yet from raw samples', async () => {
    writeSamples();
    clock = at('10:02:30.000');
    await maintenance.maintain();
    const db = openDatabaseFile(join(dir, 'data'));
    expect(db.prepare(`SELECT MAX(minute) FROM metric_rollups`).pluck().get()).toBe(at('10:01:00.000'));
    db.close();
    expect((await series('machine.cpu', 60)).series[0]!.points).toEqual([[from, 29.5], [from + 60_000, 29.5], [from + 120_000, 29.5]]);
  });
});

/** Runs, steps and attempts as the engine writes them, at known times. */
function writeHistory(): void {
  const db = openDatabaseFile(join(dir, 'data'));
  const definition = (steps: [number, string][]) => JSON.stringify({ name: 'x', workflow: steps.map(([step, platform]) => ({ step, platform, inputs: {}, dependencies: [] })) });
  const run = db.prepare(
    `INSERT INTO runs (id, workflow_name, definition, status, concurrency, base_dir, owner, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, 4, '/tmp', NULL, ?, ?, ?)`,
  );
  const step = db.prepare(`INSERT INTO steps (run_id, step, status, attempts, started_at, finished_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const attempt = db.prepare(
    `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, output_path, agent_id, platform, cost_usd, input_tokens, output_tokens)
     VALUES (?, ?, ?, ?, ?, ?, '/x.log', ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    run.run('r1', 'build', definition([[1, 'claude-code'], [2, 'shell']]), 'succeeded', iso('10:00:05.000'), iso('10:00:05.000'), iso('10:00:50.000'));
    step.run('r1', 1, 'succeeded', 2, iso('10:00:05.000'), iso('10:00:30.000'), 'reviewer');
    attempt.run('r1', 1, 1, 'failed', iso('10:00:05.000'), iso('10:00:15.000'), 'reviewer', 'claude-code', 0.1, 100, 20);
    attempt.run('r1', 1, 2, 'succeeded', iso('10:00:20.000'), iso('10:00:30.000'), 'reviewer', 'claude-code', 0.5, 1000, 200);
    // An attempt written before tools were recorded: its tool comes from the run's definition.
    step.run('r1', 2, 'succeeded', 1, iso('10:00:31.000'), iso('10:00:33.000'), null);
    attempt.run('r1', 2, 1, 'succeeded', iso('10:00:31.000'), iso('10:00:33.000'), null, null, null, null, null);

    run.run('r2', 'build', definition([[1, 'claude-code']]), 'failed', iso('10:00:20.000'), iso('10:00:20.000'), iso('10:01:10.000'));
    step.run('r2', 1, 'timed_out', 1, iso('10:00:20.000'), iso('10:01:05.000'), null);
    attempt.run('r2', 1, 1, 'timed_out', iso('10:00:20.000'), iso('10:01:05.000'), null, 'claude-code', 0.25, 300, null);

    run.run('r3', 'deploy', definition([[1, 'shell']]), 'cancelled', iso('10:01:30.000'), iso('10:01:30.000'), iso('10:02:00.000'));
    step.run('r3', 1, 'cancelled', 1, iso('10:01:30.000'), iso('10:02:00.000'), null);
    attempt.run('r3', 1, 1, 'cancelled', iso('10:01:30.000'), iso('10:02:00.000'), null, 'shell', null, null, null);

    // Ten codex attempts of 1 to 10 seconds, all ending in the third minute.
    run.run('r4', 'bulk', definition(Array.from({ length: 10 }, (_v, i) => [i + 1, 'codex'] as [number, string])), 'succeeded', iso('10:02:00.000'), iso('10:02:00.000'), iso('10:02:20.000'));
    for (let i = 1; i <= 10; i++) {
      const end = iso(`10:02:${String(10 + i).padStart(2, '0')}.000`);
      const start = new Date(Date.parse(end) - i * 1000).toISOString();
      step.run('r4', i, 'succeeded', 1, start, end, null);
      attempt.run('r4', i, 1, 'succeeded', start, end, null, 'codex', null, null, null);
    }
  })();
  db.close();
}

describe('metrics.series for counters', () => {
  beforeEach(writeHistory);

  it('counts runs started, succeeded and failed by workflow', async () => {
    expect((await series('runs.started', 60)).series).toEqual([
      { labels: { workflow: 'build' }, points: [[from, 2]] },
      { labels: { workflow: 'bulk' }, points: [[from + 120_000, 1]] },
      { labels: { workflow: 'deploy' }, points: [[from + 60_000, 1]] },
    ]);
    expect((await series('runs.succeeded', 60)).series).toEqual([
      { labels: { workflow: 'build' }, points: [[from, 1]] },
      { labels: { workflow: 'bulk' }, points: [[from + 120_000, 1]] },
    ]);
    // Cancelled runs are neither.
    expect((await series('runs.failed', 60)).series).toEqual([{ labels: { workflow: 'build' }, points: [[from + 60_000, 1]] }]);
    // One three-minute bucket holds everything.
    expect((await series('runs.started', 180)).series.map((s) => [s.labels.workflow, s.points])).toEqual([
      ['build', [[from, 2]]],
      ['bulk', [[from, 1]]],
      ['deploy', [[from, 1]]],
    ]);
  });

  it('labels steps, retries and timeouts by workflow, agent and tool', async () => {
    const succeeded = (await series('steps.succeeded', 60)).series;
    expect(succeeded).toContainEqual({ labels: { workflow: 'build', agent: 'reviewer', tool: 'claude-code' }, points: [[from, 1]] });
    expect(succeeded).toContainEqual({ labels: { workflow: 'build', agent: 'shell', tool: 'shell' }, points: [[from, 1]] });
    expect(succeeded).toContainEqual({ labels: { workflow: 'bulk', agent: 'codex', tool: 'codex' }, points: [[from + 120_000, 10]] });
    expect(succeeded).toHaveLength(3);
    // A timed-out step failed; a cancelled one did not.
    expect((await series('steps.failed', 60)).series).toEqual([{ labels: { workflow: 'build', agent: 'claude-code', tool: 'claude-code' }, points: [[from + 60_000, 1]] }]);
    expect((await series('steps.retries', 60)).series).toEqual([{ labels: { workflow: 'build', agent: 'reviewer', tool: 'claude-code' }, points: [[from, 1]] }]);
    expect((await series('steps.timeouts', 60)).series).toEqual([{ labels: { workflow: 'build', agent: 'claude-code', tool: 'claude-code' }, points: [[from + 60_000, 1]] }]);
  });

  it('sums cost and tokens by when the attempt ended', async () => {
    const cost = (await series('cost.usd', 60)).series;
    expect(cost).toEqual([
      { labels: { workflow: 'build', agent: 'claude-code', tool: 'claude-code' }, points: [[from + 60_000, 0.25]] },
      { labels: { workflow: 'build', agent: 'reviewer', tool: 'claude-code' }, points: [[from, 0.6]] },
    ]);
    expect((await series('tokens.input', 180)).series.map((s) => [s.labels.agent, s.points])).toEqual([
      ['claude-code', [[from, 300]]],
      ['reviewer', [[from, 1100]]],
    ]);
    expect((await series('tokens.output', 180)).series.map((s) => [s.labels.agent, s.points])).toEqual([['reviewer', [[from, 220]]]]);
  });

  it('gives step duration quantiles by tool for each bucket, leaving cancelled attempts out', async () => {
    const durations = (await series('steps.duration', 60)).series;
    const of = (tool: string, q: string) => durations.find((s) => s.labels.tool === tool && s.labels.quantile === q)?.points;
    // Codex: 1..10 s in one bucket, quantiles interpolated between ranks.
    expect(of('codex', '0.5')).toEqual([[from + 120_000, 5.5]]);
    expect(of('codex', '0.9')![0]![1]).toBeCloseTo(9.1, 9);
    expect(of('codex', '0.99')![0]![1]).toBeCloseTo(9.91, 9);
    // Claude Code: two 10 s attempts in the first minute, the 45 s timeout in the second.
    expect(of('claude-code', '0.5')).toEqual([[from, 10], [from + 60_000, 45]]);
    // The cancelled shell attempt of r3 says nothing about speed; r1's 2 s shell step is there.
    expect(of('shell', '0.99')).toEqual([[from, 2]]);
    expect(durations.map((s) => s.labels.quantile).sort()).toEqual(['0.5', '0.5', '0.5', '0.9', '0.9', '0.9', '0.99', '0.99', '0.99']);
  });

  it('refuses a range backwards or with too many buckets, saying how to fix it', async () => {
    await expect(engine.call('metrics.series', { metric: 'runs.started', from: to, to: from, step: 60 })).rejects.toThrow(/from must not be after to/);
    await expect(engine.call('metrics.series', { metric: 'runs.started', from: 0, to: Date.now(), step: 1 })).rejects.toThrow(/too many buckets: widen step/);
    await expect(engine.call('metrics.series', { metric: 'no.such' as MetricName, from, to, step: 60 })).rejects.toMatchObject({ code: 'invalid' });
    // Past the last date JavaScript holds: refused at the door, naming the field, not an internal error.
    await expect(engine.call('metrics.series', { metric: 'runs.started', from: 9e15, to: 9e15, step: 60 })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/params\.from: must be epoch milliseconds no later than the year 275760/),
    });
  });
});
