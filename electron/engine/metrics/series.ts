import { durationQuantiles, sampledMetricNames, type MetricName, type MetricSeries, type SampledMetricName } from '../../../shared/metrics.js';
import type { AttemptEventKind, CounterEventRow, MetricsRepository } from '../storage/index.js';

export interface SeriesQuery {
  metric: MetricName;
  from: number;
  to: number;
  step: number;
}

const minuteMs = 60_000;

/** Where each counter metric's events come from and which labels it keeps. */
const counters: Record<Exclude<MetricName, SampledMetricName | 'steps.duration'>, { source: (repo: MetricsRepository, from: string, to: string) => CounterEventRow[] | { at: string; workflow: string }[]; labels: readonly ('workflow' | 'agent' | 'tool')[] }> = {
  'runs.started': { source: (repo, from, to) => repo.runEvents('started', from, to), labels: ['workflow'] },
  'runs.succeeded': { source: (repo, from, to) => repo.runEvents('succeeded', from, to), labels: ['workflow'] },
  'runs.failed': { source: (repo, from, to) => repo.runEvents('failed', from, to), labels: ['workflow'] },
  'steps.succeeded': { source: (repo, from, to) => repo.stepEvents('succeeded', from, to), labels: ['workflow', 'agent', 'tool'] },
  'steps.failed': { source: (repo, from, to) => repo.stepEvents('failed', from, to), labels: ['workflow', 'agent', 'tool'] },
  'steps.retries': { source: attempts('retry'), labels: ['workflow', 'agent', 'tool'] },
  'steps.timeouts': { source: attempts('timeout'), labels: ['workflow', 'agent', 'tool'] },
  'cost.usd': { source: attempts('cost'), labels: ['workflow', 'agent', 'tool'] },
  'tokens.input': { source: attempts('inputTokens'), labels: ['workflow', 'agent', 'tool'] },
  'tokens.output': { source: attempts('outputTokens'), labels: ['workflow', 'agent', 'tool'] },
};

function attempts(kind: AttemptEventKind) {
  return (repo: MetricsRepository, from: string, to: string) => repo.attemptEvents(kind, from, to);
}

function isSampledMetric(metric: MetricName): metric is SampledMetricName {
  return (sampledMetricNames as readonly string[]).includes(metric);
}

/** A metric over [from, to] in buckets of `step` seconds aligned to the epoch, as `metrics.series` answers. */
export function buildSeries(repo: MetricsRepository, query: SeriesQuery): MetricSeries {
  const { metric, from, to, step } = query;
  const stepMs = step * 1000;
  const groups = new Buckets(stepMs);
  if (isSampledMetric(metric)) {
    addSampled(repo, metric, from, to, stepMs, groups);
    return { metric, step, series: groups.means(metric.startsWith('agent.') ? 'agent' : undefined) };
  }
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  if (metric === 'steps.duration') {
    for (const row of repo.attemptEvents('duration', fromIso, toIso)) groups.add(Date.parse(row.at), JSON.stringify({ tool: row.tool }), row.value, 1);
    return { metric, step, series: groups.quantiles() };
  }
  const { source, labels } = counters[metric];
  for (const row of source(repo, fromIso, toIso)) {
    const picked: Record<string, string> = {};
    for (const label of labels) picked[label] = (row as unknown as Record<string, string>)[label] ?? '';
    groups.add(Date.parse(row.at), JSON.stringify(picked), 'value' in row ? row.value : 1, 1);
  }
  return { metric, step, series: groups.sums() };
}

/**
 * Raw samples where they are the finer answer (buckets under a minute, while kept), one-minute
 * rollups elsewhere; samples not rolled up yet are read raw either way, so the newest minute shows.
 */
function addSampled(repo: MetricsRepository, metric: SampledMetricName, from: number, to: number, stepMs: number, groups: Buckets): void {
  const rolledUntil = repo.rolledUntil();
  let rawFrom: number;
  if (stepMs < minuteMs) {
    const oldest = repo.oldestSample(metric);
    rawFrom = oldest === null ? to + 1 : Math.max(from, Math.floor(oldest / minuteMs) * minuteMs);
  } else {
    rawFrom = rolledUntil === null ? from : Math.max(from, rolledUntil);
  }
  // Rollups cover only what was rolled up: never count a minute both ways.
  const rollupTo = Math.min(to, rawFrom - 1, rolledUntil === null ? -1 : rolledUntil - 1);
  if (rollupTo >= from) {
    for (const row of repo.rollups(metric, from, rollupTo)) groups.add(row.minute, row.label, row.sum, row.count);
  }
  if (rawFrom <= to) {
    for (const row of repo.samples(metric, rawFrom, to)) groups.add(row.at, row.label, row.value, 1);
  }
}

/** Values grouped by label key and bucket start. */
class Buckets {
  private readonly groups = new Map<string, Map<number, { sum: number; count: number; values: number[] }>>();

  constructor(private readonly stepMs: number) {}

  add(at: number, key: string, value: number, count: number): void {
    if (!Number.isFinite(at) || !Number.isFinite(value)) return;
    const bucket = Math.floor(at / this.stepMs) * this.stepMs;
    let buckets = this.groups.get(key);
    if (!buckets) this.groups.set(key, (buckets = new Map()));
    let cell = buckets.get(bucket);
    if (!cell) buckets.set(bucket, (cell = { sum: 0, count: 0, values: [] }));
    cell.sum += value;
    cell.count += count;
    cell.values.push(value);
  }

  /** Sampled metrics: the mean of each bucket; `labelName` names the key (the agent) when there is one. */
  means(labelName?: string): MetricSeries['series'] {
    return this.collect(
      (key) => (labelName ? { [labelName]: key } : {}),
      (cell) => cell.sum / cell.count,
    );
  }

  sums(): MetricSeries['series'] {
    return this.collect(
      (key) => JSON.parse(key) as Record<string, string>,
      (cell) => cell.sum,
    );
  }

  quantiles(): MetricSeries['series'] {
    const series: MetricSeries['series'] = [];
    for (const key of [...this.groups.keys()].sort()) {
      const labels = JSON.parse(key) as Record<string, string>;
      const sorted = [...this.groups.get(key)!.entries()].sort((a, b) => a[0] - b[0]).map(([at, cell]) => [at, cell.values.sort((x, y) => x - y)] as const);
      for (const q of durationQuantiles) {
        series.push({ labels: { ...labels, quantile: String(q) }, points: sorted.map(([at, values]) => [at, quantile(values, q)]) });
      }
    }
    return series;
  }

  private collect(labelsOf: (key: string) => Record<string, string>, valueOf: (cell: { sum: number; count: number }) => number): MetricSeries['series'] {
    return [...this.groups.keys()].sort().map((key) => ({
      labels: labelsOf(key),
      points: [...this.groups.get(key)!.entries()].sort((a, b) => a[0] - b[0]).map(([at, cell]) => [at, valueOf(cell)] as [number, number]),
    }));
  }
}

/** The q-quantile of sorted values, interpolating between the two nearest ranks (as numpy and R's default do). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}
