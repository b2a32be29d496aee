import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/metrics.js';
import { formatBytes, formatCount, formatPercent, formatRate } from '../../renderer/dashboard/format-metrics.js';
import { formatUsd } from '../../renderer/lib/format.js';
import {
  agentKeys,
  agentLabel,
  agentOfKey,
  categoryColumns,
  countsOverTime,
  durationsByTool,
  historyRows,
  liveKey,
  noteAgentHosts,
  snapshotRow,
  totalsByLabel,
} from '../../renderer/dashboard/metric-shaping.js';
import { TimeRing } from '../../renderer/dashboard/time-ring.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { snapshot } from './dashboard-fixtures.js';

const hourMs = 3_600_000;
const t0 = Date.parse('2026-03-01T10:00:00.000Z');

function series(metric: MetricSeries['metric'], step: number, entries: [Record<string, string>, [number, number][]][]): MetricSeries {
  return { metric, step, series: entries.map(([labels, points]) => ({ labels, points })) };
}

describe('live rows from ticks and history', () => {
  it('turns a tick into the machine columns and one CPU and memory column per agent', () => {
    const row = snapshotRow(
      snapshot('2026-03-01T10:00:01.250Z', {
        agents: [
          { agent: 'reviewer', cpuPercent: 150, rssBytes: 300e6, steps: 2 },
          { agent: 'shell', cpuPercent: 3, rssBytes: 4e6, steps: 1 },
        ],
      }),
    );
    expect(row).toEqual({
      t: t0 + 1250,
      values: {
        [liveKey('machine.cpu')]: 12.5,
        [liveKey('machine.memory')]: 4 * 2 ** 30,
        [liveKey('agent.cpu', 'reviewer')]: 150,
        [liveKey('agent.memory', 'reviewer')]: 300e6,
        [liveKey('agent.cpu', 'shell')]: 3,
        [liveKey('agent.memory', 'shell')]: 4e6,
      },
    });
    expect(snapshotRow(snapshot('not a date'))).toBeNull();
  });

  it('names the remote hosts an agent’s steps ran on, and keeps them named once those steps ended', () => {
    const known = new Map<string, Set<string>>();
    noteAgentHosts(known, snapshot('2026-03-01T10:00:01.000Z', { agents: [{ agent: 'far', cpuPercent: 99, rssBytes: 2e6, steps: 1, hosts: ['build-box'] }, { agent: 'shell', cpuPercent: 1, rssBytes: 1e6, steps: 1 }] }));
    noteAgentHosts(known, snapshot('2026-03-01T10:00:02.000Z', { agents: [{ agent: 'far', cpuPercent: 1, rssBytes: 1e6, steps: 1 }] }));
    expect(agentLabel('far', known.get('far'))).toBe('far on build-box');
    expect(agentLabel('shell', known.get('shell'))).toBe('shell');
    noteAgentHosts(known, snapshot('2026-03-01T10:00:03.000Z', { agents: [{ agent: 'far', cpuPercent: 5, rssBytes: 1e6, steps: 2, hosts: ['ci', 'build-box'] }] }));
    expect(agentLabel('far', known.get('far'))).toBe('far on build-box, ci');
  });

  it('picks one metric per agent, sorted, and names each by its agent', () => {
    const keys = [liveKey('machine.cpu'), liveKey('agent.cpu', 'zed'), liveKey('agent.memory', 'zed'), liveKey('agent.cpu', 'aider')];
    const cpu = agentKeys(keys, 'agent.cpu');
    expect(cpu.map(agentOfKey)).toEqual(['aider', 'zed']);
    expect(agentOfKey(liveKey('machine.cpu'))).toBeNull();
  });

  it('merges fetched series into one row per bucket, ignoring metrics the live charts do not draw', () => {
    const rows = historyRows([
      series('machine.cpu', 1, [[{}, [[t0, 10], [t0 + 1000, 20]]]]),
      series('agent.memory', 1, [
        [{ agent: 'claude-code' }, [[t0 + 1000, 5e8]]],
        [{}, [[t0, 1]]], // an agent series without its label cannot be placed
      ]),
      series('runs.started', 1, [[{}, [[t0, 3]]]]),
    ]);
    expect(rows).toEqual([
      { t: t0, values: { [liveKey('machine.cpu')]: 10 } },
      { t: t0 + 1000, values: { [liveKey('machine.cpu')]: 20, [liveKey('agent.memory', 'claude-code')]: 5e8 } },
    ]);
  });

  it('feeds the store\'s ticks into a ring: live charts get one row per tick, none for a stale reply', () => {
    const store = createPhotonStore();
    const ring = new TimeRing(60);
    store.subscribe((state, previous) => {
      const row = state.metrics.snapshot !== previous.metrics.snapshot && state.metrics.snapshot ? snapshotRow(state.metrics.snapshot) : null;
      if (row) ring.append(row);
    });
    store.getState().metricsReceived(snapshot('2026-03-01T10:00:02.000Z'));
    store.getState().metricsReceived(snapshot('2026-03-01T10:00:03.000Z'));
    // A snapshot reply that was overtaken by a newer tick changes nothing.
    store.getState().metricsReceived(snapshot('2026-03-01T10:00:01.000Z', { active: { runs: 9, steps: 9, terminals: 9, agentsBusy: 9, stepsWaitingForInput: 9 } }));
    expect(ring.length).toBe(2);
    expect(store.getState().metrics.snapshot?.at).toBe('2026-03-01T10:00:03.000Z');
    expect(store.getState().metrics.snapshot?.active.runs).toBe(0);
  });
});

describe('charts of counters, durations and cost', () => {
  it('puts runs started, succeeded and failed on one hourly axis, empty hours counting zero', () => {
    const from = t0 - 3 * hourMs;
    const data = countsOverTime(
      [
        series('runs.started', 3600, [
          [{ workflow: 'Build' }, [[t0 - 2 * hourMs, 2], [t0, 1]]],
          [{ workflow: 'Deploy' }, [[t0, 4]]],
        ]),
        series('runs.succeeded', 3600, [[{ workflow: 'Build' }, [[t0 - 2 * hourMs, 2]]]]),
        series('runs.failed', 3600, [[{ workflow: 'Deploy' }, [[t0, 1]]]]),
      ],
      from,
      t0 + 60_000,
    );
    expect(data).toEqual([
      [from, from + hourMs, from + 2 * hourMs, t0].map((t) => t / 1000),
      [0, 2, 0, 5],
      [0, 2, 0, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('sums cost by agent over its buckets, largest first, leaving out zero and unlabelled series', () => {
    const totals = totalsByLabel(
      series('cost.usd', 3600, [
        [{ agent: 'reviewer', workflow: 'A', tool: 'claude-code' }, [[t0, 0.25], [t0 + hourMs, 0.5]]],
        [{ agent: 'writer', workflow: 'A', tool: 'codex' }, [[t0, 0.1]]],
        [{ agent: 'reviewer', workflow: 'B', tool: 'claude-code' }, [[t0, 0.125]]],
        [{ agent: 'shell', workflow: 'B', tool: 'shell' }, [[t0, 0]]],
        [{ workflow: 'B' }, [[t0, 7]]],
      ]),
      'agent',
    );
    expect(totals).toEqual([
      { name: 'reviewer', total: 0.875 },
      { name: 'writer', total: 0.1 },
    ]);
  });

  it('reads duration percentiles per tool from the newest bucket (quantiles of buckets cannot be added)', () => {
    const tools = durationsByTool(
      series('steps.duration', 86_400, [
        [{ tool: 'shell', quantile: '0.5' }, [[t0 - 86_400_000, 99], [t0, 2]]],
        [{ tool: 'shell', quantile: '0.9' }, [[t0, 5]]],
        [{ tool: 'shell', quantile: '0.99' }, [[t0, 9]]],
        [{ tool: 'codex', quantile: '0.9' }, [[t0, 40]]],
        [{ tool: 'codex' }, [[t0, 1]]],
      ]),
    );
    expect(tools).toEqual([
      { tool: 'codex', values: [null, 40, null] },
      { tool: 'shell', values: [2, 5, 9] },
    ]);
    expect(categoryColumns([[9, null], [5, 40]])).toEqual([[0, 1], [9, null], [5, 40]]);
  });
});

describe('numbers in words', () => {
  it('prints memory, CPU, rates, dollars and counts short and with units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(300 * 2 ** 20)).toBe('300 MB');
    expect(formatBytes(null)).toBe('—');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(4.26)).toBe('4.3 %');
    expect(formatPercent(187.4)).toBe('187 %');
    expect(formatRate(2 / 3)).toBe('67 %');
    expect(formatRate(null)).toBe('—');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0031)).toBe('$0.0031');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12k');
    expect(formatCount(4_100_000)).toBe('4.1M');
  });
});
