import { memo, useCallback, useId, useMemo, useState, type ReactNode } from 'react';
import { usePhoton } from '../lib/app-context.js';
import { countRender } from '../lib/render-count.js';
import { formatDuration, formatWhen } from '../lib/format.js';
import { skipWords } from '../canvas/decision-words.js';
import { statusIcon, statusLabel } from '../lib/status.js';
import { useNow } from '../lib/use-now.js';
import { useThrottledPhoton } from '../lib/use-throttled-photon.js';
import type { PhotonState } from '../store/store.js';
import { formatUsd } from '../lib/format.js';
import { formatBytes, formatPercent } from './format-metrics.js';
import { useWidth } from '../lib/use-width.js';
import { shownAttemptStatus } from '../lib/shown-status.js';
import { layoutTimeline, tickLabelPx, ticksFor, type KnownStep, type TimelineBar } from './timeline-layout.js';
import { tokensText } from './tokens-text.js';
import { useRunTimeline } from './use-run-timeline.js';
import './dashboard.css';

interface RunTimelineProps {
  runId: string;
  title?: string;
  /** Controls shown beside the heading (the dashboard's run picker). */
  actions?: ReactNode;
}

const noSteps: KnownStep[] = [];
/** Rows drawn until the user asks for all: a run of 1,000 steps drew 1,000 rows at every read. */
const rowsAtFirst = 40;

/** A mark too close to the axis's end for its label to be centred on it (the label then ends at the mark). */
function nearEnd(leftPercent: number, axisWidthPx: number): boolean {
  return axisWidthPx > 0 ? ((100 - leftPercent) / 100) * axisWidthPx < tickLabelPx / 2 : leftPercent > 92;
}

/**
 * A run's attempts as a Gantt chart: a row per step with its resource peaks, a bar per attempt
 * from start to finish (retries side by side), growing while it runs. Each bar says its status in
 * a symbol and a word, and tells its details on hover and keyboard focus. Memoised: the run page
 * renders at every frame of a big run's events, and this follows the run at its own pace.
 */
export const RunTimeline = memo(function RunTimeline({ runId, title = 'Timeline', actions }: RunTimelineProps) {
  countRender('run-timeline');
  const headingId = useId();
  const { timeline, error } = useRunTimeline(runId);
  // Followed once a second, as the timeline is read: every event of a big run makes a new steps
  // array, and the whole chart was laid out again at every frame. Subscribed apart from
  // usePhoton, so those events do not render the chart (and its 40 rows of bars) either.
  const selectSteps = useCallback((s: PhotonState) => s.runs.byId[runId]?.steps, [runId]);
  const steps = useThrottledPhoton(selectSteps, 1000);
  const known = useMemo(() => steps?.map((s) => ({ step: s.step, title: s.title, status: s.status })) ?? noSteps, [steps]);
  // A skipped step's row says why, as its node and card do.
  const skippedBy = useMemo(() => new Map((steps ?? []).flatMap((s) => (s.skipped ? [[s.step, s.skipped] as const] : []))), [steps]);
  const live = timeline !== null && (timeline.finishedAt === null || timeline.attempts.some((a) => a.finishedAt === null));
  // Without the link nobody knows whether the attempts still run: the bars stop growing.
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const now = useNow(live && linkOpen);
  // As many axis labels as the axis has room for, whatever the window's width.
  const [axisRef, axisWidth] = useWidth<HTMLDivElement>();
  const maxTicks = ticksFor(axisWidth);
  const layout = useMemo(() => (timeline ? layoutTimeline(timeline, now, known, maxTicks) : null), [timeline, now, known, maxTicks]);
  const [allRows, setAllRows] = useState(false);
  const rows = layout ? (allRows ? layout.rows : layout.rows.slice(0, rowsAtFirst)) : [];
  const hiddenRows = layout ? layout.rows.length - rows.length : 0;

  return (
    <section className="run-timeline" aria-labelledby={headingId}>
      <div className="timeline-head">
        <h2 id={headingId}>{title}</h2>
        {layout && layout.rows.some((row) => row.bars.length > 0) && (
          <p className="meta timeline-span">
            From {formatWhen(new Date(layout.startMs).toISOString())}, {formatDuration(layout.endMs - layout.startMs)}
            {live ? ' so far' : ''}
          </p>
        )}
        {actions}
      </div>
      {error ? (
        <p className="empty">{error}</p>
      ) : !layout ? (
        <p className="empty">Loading timeline…</p>
      ) : layout.rows.length === 0 ? (
        <p className="empty">No attempt has started yet.</p>
      ) : (
        <table className="timeline-table">
          <caption className="visually-hidden">Each step's attempts over the run's time, with the highest CPU and memory its processes reached</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" className="timeline-number">
                Peak CPU
              </th>
              <th scope="col" className="timeline-number">
                Peak memory
              </th>
              <th scope="col" className="timeline-axis-head">
                <span className="visually-hidden">Attempts over time</span>
                <div className="timeline-axis" aria-hidden="true" ref={axisRef}>
                  {layout.ticks.map((tick) => (
                    <span key={tick.offsetMs} className={tick.offsetMs > 0 && nearEnd(tick.leftPercent, axisWidth) ? 'timeline-tick at-end' : 'timeline-tick'} style={{ left: `${tick.leftPercent}%` }}>
                      {tick.offsetMs === 0 ? '0 s' : `+${formatDuration(tick.offsetMs)}`}
                    </span>
                  ))}
                </div>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.step} data-step={row.step}>
                <th scope="row" className="timeline-step">
                  <span className="timeline-step-number">{row.step}</span> {row.title}
                </th>
                <td className="timeline-number">{formatPercent(row.peakCpuPercent)}</td>
                <td className="timeline-number">{formatBytes(row.peakRssBytes)}</td>
                <td className="timeline-track-cell">
                  <div className="timeline-track">
                    {layout.ticks.map((tick) => (
                      <span key={tick.offsetMs} className="timeline-gridline" style={{ left: `${tick.leftPercent}%` }} aria-hidden="true" />
                    ))}
                    {row.bars.length === 0 ? (
                      <span className="timeline-none">
                        {row.status ? `${statusIcon(row.status)} ${row.status === 'skipped' ? skipWords(skippedBy.get(row.step)).short : statusLabel(row.status)}` : 'Not started'}
                      </span>
                    ) : (
                      <ol className="timeline-bars" aria-label={`Attempts of step ${row.step}`}>
                        {row.bars.map((bar) => (
                          <AttemptBar key={bar.attempt.attempt} bar={bar} trackWidth={axisWidth} />
                        ))}
                      </ol>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hiddenRows > 0 && (
        <p className="meta">
          Showing {rows.length} of {layout!.rows.length} steps.{' '}
          <button type="button" className="button small" onClick={() => setAllRows(true)}>
            Show all {layout!.rows.length}
          </button>
        </p>
      )}
    </section>
  );
});

/** A bar's narrowest drawn width in pixels (its CSS min-width and borders). */
const narrowestBarPx = 8;

function AttemptBar({ bar, trackWidth }: { bar: TimelineBar; trackWidth: number }) {
  const tipId = useId();
  // Escape hides the details without moving focus (they must be dismissable); leaving the bar shows them again next time.
  const [dismissed, setDismissed] = useState(false);
  const { attempt } = bar;
  const shown = shownAttemptStatus(attempt);
  const status = statusLabel(shown);
  const duration = formatDuration(bar.endMs - bar.startMs);
  const label = `Attempt ${attempt.attempt}: ${status}, ${bar.running ? `running for ${duration}` : duration}`;
  const tokens = attempt.inputTokens !== null || attempt.outputTokens !== null;
  // Bars in the right part of the chart open their details leftwards, so they stay on screen.
  const side = bar.leftPercent + bar.widthPercent / 2 > 55 ? 'tip-left' : 'tip-right';

  return (
    <li
      className={`timeline-bar bar-${shown} ${side}${bar.running ? ' is-running' : ''}${dismissed ? ' tip-dismissed' : ''}`}
      data-status={shown}
      data-attempt={attempt.attempt}
      // A bar of the minimum width at the very end stays inside the chart instead of being cut off.
      style={{ left: `${trackWidth > 0 ? Math.min(bar.leftPercent, 100 - (narrowestBarPx / trackWidth) * 100) : bar.leftPercent}%`, width: `${bar.widthPercent}%` }}
      tabIndex={0}
      aria-label={label}
      aria-describedby={tipId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setDismissed(true);
      }}
      onBlur={() => setDismissed(false)}
      onMouseLeave={() => setDismissed(false)}
    >
      <span className="timeline-bar-label" aria-hidden="true">
        {statusIcon(shown)} {status} #{attempt.attempt}
      </span>
      <div role="tooltip" id={tipId} className="timeline-tip">
        <p className="timeline-tip-title">
          {attempt.title} · attempt {attempt.attempt} · {statusIcon(shown)} {status}
        </p>
        <dl>
          <dt>Started</dt>
          <dd>{formatWhen(attempt.startedAt)}</dd>
          <dt>{bar.running ? 'Running for' : 'Finished'}</dt>
          <dd>{bar.running ? duration : `${formatWhen(attempt.finishedAt)} (${duration})`}</dd>
          {(attempt.exitCode !== null || attempt.signal !== null) && (
            <>
              <dt>Exit</dt>
              <dd>
                {attempt.exitCode !== null && `code ${attempt.exitCode}`}
                {attempt.exitCode !== null && attempt.signal !== null && ', '}
                {attempt.signal !== null && `signal ${attempt.signal}`}
              </dd>
            </>
          )}
          {attempt.error && (
            <>
              <dt>Error</dt>
              <dd className="timeline-tip-error">{attempt.error}</dd>
            </>
          )}
          <dt>Agent</dt>
          <dd>
            {attempt.agentId ?? 'default settings'}
            {attempt.platform && ` (${attempt.platform})`}
          </dd>
          {attempt.costUsd !== null && (
            <>
              <dt>Cost</dt>
              <dd>{formatUsd(attempt.costUsd)}</dd>
            </>
          )}
          {tokens && (
            <>
              <dt>Tokens</dt>
              <dd>{tokensText({ input: attempt.inputTokens ?? 0, output: attempt.outputTokens ?? 0, cacheRead: attempt.cacheReadTokens, cacheWrite: attempt.cacheWriteTokens })}</dd>
            </>
          )}
          <dt>Peak CPU</dt>
          <dd>{formatPercent(attempt.peakCpuPercent)}</dd>
          <dt>Peak memory</dt>
          <dd>{formatBytes(attempt.peakRssBytes)}</dd>
        </dl>
      </div>
    </li>
  );
}
