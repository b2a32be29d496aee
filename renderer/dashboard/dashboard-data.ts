import type { MetricName } from '../../shared/metrics.js';
import type { RendererClient } from '../client/photon-client.js';
import { defaultRange, type ActivityRange } from './activity-range.js';
import { costSplit, countsOverTime, durationsByTool, historyRows, type ToolDurations } from './metric-shaping.js';
import type { AlignedColumns, TimedRow } from './time-ring.js';

/** How far back the live charts reach when the page opens, at one-second samples. */
const liveWindowMs = 15 * 60_000;
export const liveCapacity = liveWindowMs / 1000;
const liveMetrics: MetricName[] = ['machine.cpu', 'machine.memory', 'agent.cpu', 'agent.memory'];

/** The live charts' history before the page opened (sampled while something ran). */
export async function loadLiveHistory(client: RendererClient, now = Date.now()): Promise<TimedRow[]> {
  const from = now - liveWindowMs;
  const list = await Promise.all(liveMetrics.map((metric) => client.call('metrics.series', { metric, from, to: now, step: 1 })));
  return historyRows(list);
}

export interface ActivityData {
  range: ActivityRange;
  /** When the range ends (the read's "now"), epoch ms. */
  to: number;
  /** Runs started, succeeded and failed per bucket of the range. */
  runs: AlignedColumns;
  /** Percentiles of each tool's attempt durations in seconds, since `durationsSince`. */
  durations: ToolDurations[];
  durationsSince: number;
  /** Dollars per saved agent, and per tool, over the range. */
  costByAgent: { name: string; total: number }[];
  costByTool: { name: string; total: number }[];
}

const hour = 3600;
const day = 86_400;

/**
 * The charts that change when runs start and end. Duration percentiles are read as one bucket:
 * quantiles of different buckets cannot be added up, and the engine's day buckets start at UTC
 * midnight, so that is where the one bucket starts.
 */
export async function loadActivity(client: RendererClient, range: ActivityRange = defaultRange, now = Date.now()): Promise<ActivityData> {
  const runsFrom = now - range.ms;
  const step = range.bucketSeconds;
  // Cost in buckets no longer than an hour, so the range's edges cut the total at most that much.
  const costStep = Math.min(hour, step);
  const durationsSince = Math.floor(now / (day * 1000)) * day * 1000;
  const [started, succeeded, failed, durations, cost] = await Promise.all([
    client.call('metrics.series', { metric: 'runs.started', from: runsFrom, to: now, step }),
    client.call('metrics.series', { metric: 'runs.succeeded', from: runsFrom, to: now, step }),
    client.call('metrics.series', { metric: 'runs.failed', from: runsFrom, to: now, step }),
    client.call('metrics.series', { metric: 'steps.duration', from: durationsSince, to: now, step: day }),
    client.call('metrics.series', { metric: 'cost.usd', from: runsFrom, to: now, step: costStep }),
  ]);
  const { byAgent, byTool } = costSplit(cost);
  return {
    range,
    to: now,
    runs: countsOverTime([started, succeeded, failed], runsFrom, now),
    durations: durationsByTool(durations),
    durationsSince,
    costByAgent: byAgent,
    costByTool: byTool,
  };
}
