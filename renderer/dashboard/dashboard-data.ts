import type { MetricName } from '../../shared/metrics.js';
import type { RendererClient } from '../client/photon-client.js';
import { countsOverTime, durationsByTool, historyRows, totalsByLabel, type ToolDurations } from './metric-shaping.js';
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
  /** Runs started, succeeded and failed per hour over the last day. */
  runs: AlignedColumns;
  /** Percentiles of each tool's attempt durations in seconds, since `durationsSince`. */
  durations: ToolDurations[];
  durationsSince: number;
  /** Dollars per agent since local midnight. */
  costByAgent: { name: string; total: number }[];
}

const hour = 3600;
const day = 86_400;

function localMidnight(now: number): number {
  const date = new Date(now);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/**
 * The charts that change when runs start and end. Duration percentiles are read as one bucket:
 * quantiles of different buckets cannot be added up, and the engine's day buckets start at UTC
 * midnight, so that is where the one bucket starts.
 */
export async function loadActivity(client: RendererClient, now = Date.now()): Promise<ActivityData> {
  const runsFrom = now - day * 1000;
  const durationsSince = Math.floor(now / (day * 1000)) * day * 1000;
  const [started, succeeded, failed, durations, cost] = await Promise.all([
    client.call('metrics.series', { metric: 'runs.started', from: runsFrom, to: now, step: hour }),
    client.call('metrics.series', { metric: 'runs.succeeded', from: runsFrom, to: now, step: hour }),
    client.call('metrics.series', { metric: 'runs.failed', from: runsFrom, to: now, step: hour }),
    client.call('metrics.series', { metric: 'steps.duration', from: durationsSince, to: now, step: day }),
    client.call('metrics.series', { metric: 'cost.usd', from: localMidnight(now), to: now, step: hour }),
  ]);
  return {
    runs: countsOverTime([started, succeeded, failed], runsFrom, now),
    durations: durationsByTool(durations),
    durationsSince,
    costByAgent: totalsByLabel(cost, 'agent'),
  };
}
