import { useEffect, useMemo, useState } from 'react';
import { durationQuantiles } from '../../shared/metrics.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { formatDuration, formatUsd, formatWhen } from '../lib/format.js';
import { errorBody, reportBackgroundError } from '../sync/report-error.js';
import { activityRanges, rangeById, type ActivityRange } from './activity-range.js';
import { fixedFeed } from './chart-feed.js';
import { categoryChartOptions, timeChartOptions } from './chart-options.js';
import { loadActivity, type ActivityData } from './dashboard-data.js';
import { formatCount } from './format-metrics.js';
import { groupedColumns, groupOfIndex } from './metric-shaping.js';
import { RunsBehind, type RunsWindow } from './RunsBehind.js';
import { UplotChart, type BuildOptions } from './UplotChart.js';
import './activity.css';

const chartHeight = 180;
const runsLabels = ['Started', 'Succeeded', 'Failed'];
const runsColours = [0, 1, 4];
/** p50, p90, p99 in that order: fastest first, left to right. */
const quantileColours = [0, 2, 4];
const rangeKey = 'photon.dashboardRange';

const seconds = (value: number) => formatDuration(value * 1000);

function bucketTitle(range: ActivityRange, start: number): string {
  const end = start + range.bucketSeconds * 1000;
  const when = (t: number) =>
    range.bucketLabel === 'day' ? new Date(t).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : formatWhen(new Date(t).toISOString());
  return `Runs ${when(start)} – ${when(end)}`;
}

/**
 * The charts that move when runs start and end, over a range the user picks: runs per bucket
 * (a click on a bar lists its runs), step durations by tool, and cost by agent and by tool.
 * They are read again when today's counters in the latest tick change.
 */
export function ActivityCharts() {
  const { client, store } = useServices();
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const changed = usePhoton((s) => {
    const today = s.metrics.snapshot?.today;
    return today ? `${today.runsStarted}|${today.runsSucceeded}|${today.runsFailed}|${today.costUsd}` : '';
  });
  const [range, setRange] = useState<ActivityRange>(() => rangeById(localStorage.getItem(rangeKey)));
  const [data, setData] = useState<ActivityData | null>(null);
  const [picked, setPicked] = useState<RunsWindow | null>(null);

  useEffect(() => {
    if (!linkOpen) return;
    let cancelled = false;
    loadActivity(client, range).then(
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
  }, [client, linkOpen, store, changed, range]);

  const charts = useMemo(() => (data ? activityCharts(data, setPicked) : null), [data]);
  const whole: RunsWindow | null = data ? { from: data.to - data.range.ms, to: data.to + 1, title: `Runs, ${data.range.label.toLowerCase()}` } : null;

  return (
    <section className="dashboard-section" aria-labelledby="dashboard-activity">
      <div className="activity-head">
        <h2 id="dashboard-activity">Activity</h2>
        <label className="activity-range">
          Range{' '}
          <select
            value={range.id}
            onChange={(event) => {
              const next = rangeById(event.target.value);
              localStorage.setItem(rangeKey, next.id);
              setPicked(null);
              setRange(next);
            }}
          >
            {activityRanges.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!charts || !whole ? (
        <p className="empty">Loading…</p>
      ) : (
        <>
          <div className="chart-grid">
            <UplotChart title={charts.runs.title} feed={charts.runs.feed} options={charts.runs.options} />
            <UplotChart title={charts.durations.title} feed={charts.durations.feed} options={charts.durations.options} />
            <UplotChart title={`Cost by agent, ${range.label.toLowerCase()}`} feed={charts.costByAgent.feed} options={charts.costByAgent.options} />
            <UplotChart title={`Cost by tool, ${range.label.toLowerCase()}`} feed={charts.costByTool.feed} options={charts.costByTool.options} />
          </div>
          <RunsBehind window={picked ?? whole} onShowAll={picked ? () => setPicked(null) : null} />
        </>
      )}
    </section>
  );
}

function activityCharts(data: ActivityData, pick: (window: RunsWindow) => void) {
  const { range } = data;
  const [xs, ...runColumns] = data.runs;
  const totals = runColumns.map((column) => column.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const onPick = (index: number) => {
    const start = (xs[groupOfIndex(index, runColumns.length)] ?? 0) * 1000;
    pick({ from: start, to: start + range.bucketSeconds * 1000, title: bucketTitle(range, start) });
  };
  const runsOptions: BuildOptions = (labels, theme, width) =>
    timeChartOptions(
      {
        height: chartHeight,
        series: labels.map((label, index) => ({ label, colour: runsColours[index], bar: { alpha: 0.75 } })),
        format: (v) => formatCount(v),
        minMax: 2,
        marks: 'whole',
        onPick,
      },
      theme,
      width,
    );
  const per = range.bucketSeconds >= 86_400 ? 'day' : range.bucketSeconds >= 3600 ? `${range.bucketSeconds / 3600} h` : `${range.bucketSeconds / 60} min`;
  const runs = {
    title: `Runs per ${per === '1 h' ? 'hour' : per}, ${range.label.toLowerCase()} (click a bar for its runs)`,
    feed: fixedFeed(
      runsLabels,
      groupedColumns(xs, runColumns, range.bucketSeconds),
      totals.every((t) => t === 0)
        ? `No run started or ended, ${range.label.toLowerCase()}.`
        : `${range.label}: ${totals[0]} started, ${totals[1]} succeeded, ${totals[2]} failed.`,
    ),
    options: runsOptions,
  };

  const tools = data.durations.map((d) => d.tool);
  const quantileLabels = durationQuantiles.map((q) => `p${Math.round(q * 100)}`);
  const durationsOptions: BuildOptions = (labels, theme, width) =>
    categoryChartOptions(
      { height: chartHeight, categories: tools, series: labels.map((label, index) => ({ label, colour: quantileColours[index] })), format: seconds, minMax: 1 },
      theme,
      width,
    );
  const since = formatWhen(new Date(data.durationsSince).toISOString());
  const durations = {
    title: `Step duration by tool since ${since} (p50, p90, p99)`,
    feed: fixedFeed(
      quantileLabels,
      groupedColumns(
        tools.map((_, index) => index),
        durationQuantiles.map((_, q) => data.durations.map((d) => d.values[q] ?? null)),
        1,
      ),
      tools.length === 0
        ? `No attempt ended since ${since}.`
        : data.durations.map((d) => `${d.tool}: p50 ${fmt(d.values[0])}, p90 ${fmt(d.values[1])}, p99 ${fmt(d.values[2])}`).join('; ') + '.',
    ),
    options: durationsOptions,
  };

  return { runs, durations, costByAgent: costChart(data.costByAgent, 'No saved agent reported a cost', range), costByTool: costChart(data.costByTool, 'No tool reported a cost', range) };
}

function costChart(totals: { name: string; total: number }[], none: string, range: ActivityRange) {
  const names = totals.map((c) => c.name);
  const options: BuildOptions = (labels, theme, width) =>
    categoryChartOptions({ height: chartHeight, categories: names, series: labels.map((label) => ({ label, colour: 3 })), format: formatUsd, minMax: 0.01 }, theme, width);
  return {
    feed: fixedFeed(
      ['Cost'],
      groupedColumns(
        names.map((_, index) => index),
        [totals.map((c) => c.total)],
        1,
      ),
      totals.length === 0 ? `${none}, ${range.label.toLowerCase()}.` : totals.map((c) => `${c.name} ${formatUsd(c.total)}`).join(', ') + '.',
    ),
    options,
  };
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : seconds(value);
}
