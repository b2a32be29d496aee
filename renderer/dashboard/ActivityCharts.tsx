import { useEffect, useMemo, useState } from 'react';
import { durationQuantiles } from '../../shared/metrics.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { formatDuration, formatWhen } from '../lib/format.js';
import { errorBody, reportBackgroundError } from '../sync/report-error.js';
import { fixedFeed } from './chart-feed.js';
import { categoryChartOptions, timeChartOptions } from './chart-options.js';
import { loadActivity, type ActivityData } from './dashboard-data.js';
import { formatUsd } from '../lib/format.js';
import { formatCount } from './format-metrics.js';
import { categoryColumns } from './metric-shaping.js';
import { UplotChart, type BuildOptions } from './UplotChart.js';

const chartHeight = 180;
const runsLabels = ['Started', 'Succeeded', 'Failed'];
/** Widest first: the slower percentiles are drawn behind the faster ones. */
const quantileOrder = [2, 1, 0] as const;
const quantileSizes = [0.7, 0.5, 0.3];

const seconds = (value: number) => formatDuration(value * 1000);

/** Started as a wide pale bar per hour; succeeded and failed side by side in front of it. */
const runsBars = [
  { colour: 0, bar: { size: 0.9, align: 0, alpha: 0.2 } },
  { colour: 1, bar: { size: 0.42, align: -1, alpha: 0.7 } },
  { colour: 4, bar: { size: 0.42, align: 1, alpha: 0.7 } },
] as const;

const runsOptions: BuildOptions = (labels, theme, width) =>
  timeChartOptions(
    {
      height: chartHeight,
      series: labels.map((label, index) => ({ label, ...runsBars[index % runsBars.length]! })),
      format: (v) => formatCount(v),
      minMax: 2,
      whole: true,
    },
    theme,
    width,
  );

/**
 * The charts that move when runs start and end: runs per hour, step durations by tool and cost by
 * agent. They are read again when today's counters in the latest tick change.
 */
export function ActivityCharts() {
  const { client, store } = useServices();
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const changed = usePhoton((s) => {
    const today = s.metrics.snapshot?.today;
    return today ? `${today.runsStarted}|${today.runsSucceeded}|${today.runsFailed}|${today.costUsd}` : '';
  });
  const [data, setData] = useState<ActivityData | null>(null);

  useEffect(() => {
    if (!linkOpen) return;
    let cancelled = false;
    loadActivity(client).then(
      (activity) => {
        if (!cancelled) setData(activity);
      },
      (error: unknown) => {
        if (!cancelled && errorBody(error).code !== 'unavailable') reportBackgroundError(store, 'Could not read the run history', error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, linkOpen, store, changed]);

  const charts = useMemo(() => (data ? activityCharts(data) : null), [data]);

  return (
    <section className="dashboard-section" aria-labelledby="dashboard-activity">
      <h2 id="dashboard-activity">Activity</h2>
      {!charts ? (
        <p className="empty">Loading…</p>
      ) : (
        <div className="chart-grid">
          <UplotChart title="Runs per hour, last 24 hours" feed={charts.runs.feed} options={runsOptions} />
          <UplotChart title={charts.durations.title} feed={charts.durations.feed} options={charts.durations.options} />
          <UplotChart title="Cost by agent today" feed={charts.cost.feed} options={charts.cost.options} />
        </div>
      )}
    </section>
  );
}

function activityCharts(data: ActivityData) {
  const [, ...runColumns] = data.runs;
  const totals = runColumns.map((column) => column.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const runs = {
    feed: fixedFeed(
      runsLabels,
      data.runs,
      totals[0] === 0 && totals[1] === 0 && totals[2] === 0
        ? 'No run started or ended in the last 24 hours.'
        : `In the last 24 hours: ${totals[0]} started, ${totals[1]} succeeded, ${totals[2]} failed.`,
    ),
  };

  const tools = data.durations.map((d) => d.tool);
  const quantileLabels = quantileOrder.map((q) => `p${Math.round(durationQuantiles[q] * 100)}`);
  const durationsOptions: BuildOptions = (labels, theme, width) =>
    categoryChartOptions(
      {
        height: chartHeight,
        categories: tools,
        series: labels.map((label, index) => ({ label, size: quantileSizes[index]!, colour: [4, 2, 0][index] })),
        format: seconds,
        minMax: 1,
      },
      theme,
      width,
    );
  const since = formatWhen(new Date(data.durationsSince).toISOString());
  const durations = {
    title: `Step duration by tool since ${since} (p50, p90, p99)`,
    feed: fixedFeed(
      quantileLabels,
      categoryColumns(quantileOrder.map((q) => data.durations.map((d) => d.values[q] ?? null))),
      tools.length === 0
        ? `No attempt ended since ${since}.`
        : data.durations.map((d) => `${d.tool}: p50 ${fmt(d.values[0])}, p90 ${fmt(d.values[1])}, p99 ${fmt(d.values[2])}`).join('; ') + '.',
    ),
    options: durationsOptions,
  };

  const agents = data.costByAgent.map((c) => c.name);
  const costOptions: BuildOptions = (labels, theme, width) =>
    categoryChartOptions(
      { height: chartHeight, categories: agents, series: labels.map((label) => ({ label, size: 0.5, colour: 3 })), format: formatUsd, minMax: 0.01 },
      theme,
      width,
    );
  const cost = {
    feed: fixedFeed(
      ['Cost'],
      categoryColumns([data.costByAgent.map((c) => c.total)]),
      agents.length === 0 ? 'No cost reported today.' : data.costByAgent.map((c) => `${c.name} ${formatUsd(c.total)}`).join(', ') + '.',
    ),
    options: costOptions,
  };
  return { runs, durations, cost };
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : seconds(value);
}
