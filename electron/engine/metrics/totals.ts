import type { MetricsExport } from '../../../shared/metrics.js';
import { durationQuantiles } from '../../../shared/metrics.js';
import type { MetricsRepository } from '../storage/index.js';
import { quantile } from './series.js';

/** The window `GET /metrics` computes step-duration quantiles over, as Prometheus summaries use a recent window. */
const quantileWindowMs = 24 * 60 * 60 * 1000;

/** All-time totals, with the quantiles of each tool's step durations over the last day, for `GET /metrics`. */
export function metricsTotals(repo: MetricsRepository, now: number): MetricsExport['totals'] {
  const totals = repo.totals();
  const since = new Date(now - quantileWindowMs).toISOString();
  const recent = new Map<string, number[]>();
  for (const row of repo.attemptEvents('duration', since, new Date(now).toISOString())) {
    let list = recent.get(row.tool);
    if (!list) recent.set(row.tool, (list = []));
    list.push(row.value);
  }
  return {
    runs: totals.runs,
    steps: totals.steps,
    retries: totals.retries,
    timeouts: totals.timeouts,
    usage: totals.usage,
    stepDurations: totals.durations.map(({ tool, count, sumSeconds }) => {
      const values = (recent.get(tool) ?? []).sort((a, b) => a - b);
      return { tool, count, sumSeconds, quantiles: values.length === 0 ? [] : durationQuantiles.map((q) => ({ quantile: q, seconds: quantile(values, q) })) };
    }),
    quantileWindowSeconds: quantileWindowMs / 1000,
  };
}
