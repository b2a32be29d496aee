import { durationQuantiles, type MetricName, type MetricSeries, type MetricsSnapshot } from '../../shared/metrics.js';
import type { AlignedColumns, TimedRow } from './time-ring.js';

/**
 * From the engine's shapes (snapshots, series) to what the charts draw. Pure functions, so the
 * shaping is tested without a browser.
 */

/** The live charts' series: the machine's, and each agent's resources. */
export type LiveMetric = 'machine.cpu' | 'machine.memory' | 'agent.cpu' | 'agent.memory';

const separator = '\u0000';

/** A column name in the live ring: the metric, and the agent for per-agent series. */
export function liveKey(metric: LiveMetric, agent?: string): string {
  return agent === undefined ? metric : `${metric}${separator}${agent}`;
}

/** The agent a column belongs to, or null for a machine column. */
export function agentOfKey(key: string): string | null {
  const at = key.indexOf(separator);
  return at === -1 ? null : key.slice(at + 1);
}

/** The column names of one per-agent metric, sorted by agent so colours stay put. */
export function agentKeys(keys: readonly string[], metric: 'agent.cpu' | 'agent.memory'): string[] {
  const prefix = `${metric}${separator}`;
  return keys.filter((key) => key.startsWith(prefix)).sort();
}

/**
 * Remembers, by agent, the remote hosts its steps were sampled on, so a chart's series keeps the
 * host in its name after the step ended (a name that changed back would rebuild the chart).
 */
export function noteAgentHosts(known: Map<string, Set<string>>, snapshot: MetricsSnapshot): void {
  for (const sample of snapshot.agents) {
    if (!sample.hosts?.length) continue;
    const hosts = known.get(sample.agent) ?? new Set<string>();
    for (const host of sample.hosts) hosts.add(host);
    known.set(sample.agent, hosts);
  }
}

/** An agent's name in the charts, with where its remote steps ran: `far on build-box`. */
export function agentLabel(agent: string, hosts: ReadonlySet<string> | undefined): string {
  return hosts?.size ? `${agent} on ${[...hosts].sort().join(', ')}` : agent;
}

/** One live row from a tick: the machine, and each agent's step trees added up (as the engine labels them). */
export function snapshotRow(snapshot: MetricsSnapshot): TimedRow | null {
  const t = Date.parse(snapshot.at);
  if (Number.isNaN(t)) return null;
  const values: Record<string, number> = {
    [liveKey('machine.cpu')]: snapshot.machine.cpuPercent,
    [liveKey('machine.memory')]: snapshot.machine.memoryUsedBytes,
  };
  for (const sample of snapshot.agents) {
    values[liveKey('agent.cpu', sample.agent)] = sample.cpuPercent;
    values[liveKey('agent.memory', sample.agent)] = sample.rssBytes;
  }
  return { t, values };
}

/** Series fetched with `metrics.series` as rows of the live ring: one row per bucket start. */
export function historyRows(list: readonly MetricSeries[]): TimedRow[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const { metric, series } of list) {
    if (!isLiveMetric(metric)) continue;
    for (const { labels, points } of series) {
      const agent = metric.startsWith('agent.') ? labels.agent : undefined;
      if (metric.startsWith('agent.') && agent === undefined) continue;
      const key = liveKey(metric, agent);
      for (const [t, value] of points) {
        let row = byTime.get(t);
        if (!row) byTime.set(t, (row = {}));
        row[key] = value;
      }
    }
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => ({ t, values }));
}

function isLiveMetric(metric: MetricName): metric is LiveMetric {
  return metric === 'machine.cpu' || metric === 'machine.memory' || metric === 'agent.cpu' || metric === 'agent.memory';
}

/**
 * Counters in buckets (runs started, succeeded, failed) on one time axis, in seconds for
 * uPlot. The engine leaves out empty buckets; here they count zero, so the lines drop to
 * zero where nothing happened instead of bridging the gap.
 */
export function countsOverTime(list: readonly MetricSeries[], from: number, to: number): AlignedColumns {
  const stepMs = (list[0]?.step ?? 60) * 1000;
  const times = new Set<number>();
  for (let t = Math.floor(from / stepMs) * stepMs; t <= to; t += stepMs) times.add(t);
  const totals = list.map(({ series }) => {
    const sum = new Map<number, number>();
    for (const { points } of series) {
      for (const [t, value] of points) {
        times.add(t);
        sum.set(t, (sum.get(t) ?? 0) + value);
      }
    }
    return sum;
  });
  const xs = [...times].sort((a, b) => a - b);
  return [xs.map((t) => t / 1000), ...totals.map((sum) => xs.map((t) => sum.get(t) ?? 0))];
}

/** A metric summed over its buckets for each value of one label (cost by agent), largest first; nothing for zeros. */
export function totalsByLabel(data: MetricSeries, label: string): { name: string; total: number }[] {
  const totals = new Map<string, number>();
  for (const { labels, points } of data.series) {
    const name = labels[label];
    if (name === undefined) continue;
    const total = points.reduce((sum, [, value]) => sum + value, 0);
    totals.set(name, (totals.get(name) ?? 0) + total);
  }
  return [...totals.entries()]
    .map(([name, total]) => ({ name, total }))
    .filter((entry) => entry.total > 0)
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

export interface ToolDurations {
  tool: string;
  /** Seconds for p50, p90 and p99, in that order; null where the engine had none. */
  values: (number | null)[];
}

/**
 * `steps.duration` (labelled by tool and quantile) as one entry per tool. Quantiles of
 * different buckets cannot be combined, so each tool's newest bucket speaks for it.
 */
export function durationsByTool(data: MetricSeries): ToolDurations[] {
  const newest = new Map<string, Map<number, { t: number; value: number }>>();
  for (const { labels, points } of data.series) {
    const tool = labels.tool;
    const quantile = Number(labels.quantile);
    if (tool === undefined || !Number.isFinite(quantile)) continue;
    let quantiles = newest.get(tool);
    if (!quantiles) newest.set(tool, (quantiles = new Map()));
    for (const [t, value] of points) {
      const known = quantiles.get(quantile);
      if (!known || t > known.t) quantiles.set(quantile, { t, value });
    }
  }
  return [...newest.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([tool, quantiles]) => ({ tool, values: durationQuantiles.map((q) => quantiles.get(q)?.value ?? null) }));
}

/** Categories as uPlot bars: x is the category's index, one array per series. */
export function categoryColumns(rows: readonly (number | null)[][]): AlignedColumns {
  const xs = rows.length === 0 ? [] : rows[0]!.map((_, index) => index);
  return [xs, ...rows.map((row) => [...row])];
}

/**
 * Bars side by side instead of on top of each other: each group (an hour, a tool) gets one slot
 * per series within `groupWidth` (in x units), and each series has a value only at its own slot.
 * uPlot sizes bars by the gap between neighbouring x values, so a bar never reaches the next.
 */
export function groupedColumns(xs: readonly number[], series: readonly (readonly (number | null)[])[], groupWidth: number): AlignedColumns {
  const count = series.length;
  const slot = (groupWidth * 0.84) / Math.max(count, 1);
  const outX: number[] = [];
  const outY: (number | null)[][] = series.map(() => []);
  xs.forEach((x, group) => {
    for (let own = 0; own < count; own++) {
      outX.push(x + (own - (count - 1) / 2) * slot);
      for (let s = 0; s < count; s++) outY[s]!.push(s === own ? (series[s]![group] ?? null) : null);
    }
  });
  return [outX, ...outY];
}

/** The group (hour, tool) an index of `groupedColumns` data belongs to. */
export function groupOfIndex(index: number, seriesCount: number): number {
  return Math.floor(index / Math.max(seriesCount, 1));
}

/**
 * Cost kept apart by agent and by tool. The engine labels a step without a saved agent with its
 * tool in place of the agent, so "by agent" keeps only the series whose agent is not its tool:
 * otherwise `claude-code` would show up as an agent beside the agents that use it.
 */
export function costSplit(data: MetricSeries): { byAgent: { name: string; total: number }[]; byTool: { name: string; total: number }[] } {
  const savedAgents = { ...data, series: data.series.filter((s) => s.labels.agent !== undefined && s.labels.agent !== s.labels.tool) };
  return { byAgent: totalsByLabel(savedAgents, 'agent'), byTool: totalsByLabel(data, 'tool') };
}
