import type { RunTimeline, StepStatus } from '../../shared/runs.js';

export type TimelineAttempt = RunTimeline['attempts'][number];

/** One attempt placed on the time axis, in percent of the chart's width. */
export interface TimelineBar {
  attempt: TimelineAttempt;
  startMs: number;
  /** The attempt's finish, or now for one still running (the bar grows). */
  endMs: number;
  running: boolean;
  leftPercent: number;
  widthPercent: number;
}

export interface TimelineRow {
  step: number;
  title: string;
  /** Set when the caller knows the step's state (steps with no attempt yet have no bars). */
  status: StepStatus | null;
  bars: TimelineBar[];
  /** Highest over the step's attempts; null when no attempt reported one. */
  peakCpuPercent: number | null;
  peakRssBytes: number | null;
}

export interface TimelineLayout {
  startMs: number;
  endMs: number;
  rows: TimelineRow[];
  /** Axis marks: offset from the start and where it falls, in percent. */
  ticks: { offsetMs: number; leftPercent: number }[];
}

/** A step as the run's detail knows it, for rows of steps that have not started. */
export interface KnownStep {
  step: number;
  title: string;
  status: StepStatus;
}

/** So that an attempt of a few milliseconds is still a bar one can point at. */
export const minBarPercent = 0.6;
const tickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400].map((s) => s * 1000);

/**
 * Lays a run's attempts out as a Gantt chart: one row per step, one bar per attempt from its
 * start to its finish (retries side by side on their step's row), on an axis from the run's
 * start to its finish, or to now while it runs.
 */
export function layoutTimeline(timeline: RunTimeline, now: number, steps: readonly KnownStep[] = [], maxTicks = defaultMaxTicks): TimelineLayout {
  const parsed = timeline.attempts
    .map((attempt) => {
      const start = Date.parse(attempt.startedAt);
      const finish = attempt.finishedAt === null ? null : Date.parse(attempt.finishedAt);
      return { attempt, start, finish: finish !== null && Number.isNaN(finish) ? null : finish };
    })
    .filter((entry) => !Number.isNaN(entry.start));

  const runStart = timeline.startedAt === null ? Number.NaN : Date.parse(timeline.startedAt);
  const startMs = Math.min(Number.isNaN(runStart) ? Infinity : runStart, ...parsed.map((p) => p.start));
  const anyRunning = parsed.some((p) => p.finish === null);
  const runFinish = timeline.finishedAt === null ? Number.NaN : Date.parse(timeline.finishedAt);
  const lastFinish = Math.max(...parsed.map((p) => p.finish ?? now), Number.isNaN(runFinish) ? -Infinity : runFinish);
  const endCandidate = anyRunning || (timeline.finishedAt === null && parsed.length > 0) ? Math.max(now, lastFinish) : lastFinish;

  if (!Number.isFinite(startMs)) {
    return { startMs: now, endMs: now + 1000, rows: steps.map((s) => emptyRow(s)), ticks: [] };
  }
  // At least a second wide, so the first instants of a run do not fill the chart with one bar.
  const endMs = Math.max(Number.isFinite(endCandidate) ? endCandidate : startMs, startMs + 1000);
  const span = endMs - startMs;
  const percent = (t: number) => ((t - startMs) / span) * 100;

  const rows = new Map<number, TimelineRow>();
  for (const known of steps) rows.set(known.step, emptyRow(known));
  for (const { attempt, start, finish } of parsed) {
    const { step, title } = attempt;
    let row = rows.get(step);
    if (!row) rows.set(step, (row = { step, title, status: null, bars: [], peakCpuPercent: null, peakRssBytes: null }));
    const end = Math.max(finish ?? Math.max(now, start), start);
    const left = Math.min(Math.max(percent(start), 0), 100 - minBarPercent);
    const width = Math.min(Math.max(percent(end) - percent(start), minBarPercent), 100 - left);
    row.bars.push({ attempt, startMs: start, endMs: end, running: finish === null, leftPercent: left, widthPercent: width });
    row.peakCpuPercent = maxOf(row.peakCpuPercent, attempt.peakCpuPercent);
    row.peakRssBytes = maxOf(row.peakRssBytes, attempt.peakRssBytes);
  }
  for (const row of rows.values()) row.bars.sort((a, b) => a.attempt.attempt - b.attempt.attempt);

  return {
    startMs,
    endMs,
    rows: [...rows.values()].sort((a, b) => a.step - b.step),
    ticks: axisTicks(span, maxTicks),
  };
}

function emptyRow(known: KnownStep): TimelineRow {
  return { step: known.step, title: known.title, status: known.status, bars: [], peakCpuPercent: null, peakRssBytes: null };
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

const defaultMaxTicks = 7;

/** Room one axis label needs ("+1 min 30 s" at the axis's 12 px), so labels never overlap. */
export const tickLabelPx = 80;

/** How many labelled marks an axis this wide holds: at least two (the start and one more). */
export function ticksFor(axisWidthPx: number): number {
  return axisWidthPx > 0 ? Math.max(2, Math.floor(axisWidthPx / tickLabelPx)) : defaultMaxTicks;
}

/** Round offsets (1 s, 5 s, 1 min…) so the axis has at most `maxTicks` marks, the start included. */
export function axisTicks(spanMs: number, maxTicks = defaultMaxTicks): { offsetMs: number; leftPercent: number }[] {
  if (!(spanMs > 0)) return [];
  const intervals = Math.max(1, maxTicks - 1);
  let step = tickSteps.find((s) => spanMs / s <= intervals) ?? Math.ceil(spanMs / intervals / 86_400_000) * 86_400_000;
  // Room for two marks only: the start and the largest round offset inside the span.
  if (step > spanMs) step = tickSteps.findLast((s) => s <= spanMs) ?? step;
  const ticks: { offsetMs: number; leftPercent: number }[] = [];
  for (let offset = 0; offset <= spanMs; offset += step) ticks.push({ offsetMs: offset, leftPercent: (offset / spanMs) * 100 });
  return ticks;
}
