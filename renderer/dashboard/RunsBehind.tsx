import { useEffect, useState } from 'react';
import type { RunSummary } from '../../shared/runs.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useServices } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { reportBackgroundError } from '../sync/report-error.js';

/** A span of time the runs chart stands for: the whole range, or the bar that was clicked. */
export interface RunsWindow {
  from: number;
  to: number;
  title: string;
}

/** How many runs the list reads to find those of a window; older ones are left out (and it says so). */
const readLimit = 1000;

/** A run belongs to a window when it started or ended in it, as the chart's bars count it. */
export function runsIn(runs: readonly RunSummary[], window: Pick<RunsWindow, 'from' | 'to'>): RunSummary[] {
  const inside = (iso: string | null) => iso !== null && Date.parse(iso) >= window.from && Date.parse(iso) < window.to;
  return runs.filter((run) => inside(run.createdAt) || inside(run.finishedAt));
}

/** The runs behind the chart: a click on a bar narrows it to that bar's runs, each a link to its page. */
export function RunsBehind({ window, onShowAll }: { window: RunsWindow; onShowAll: (() => void) | null }) {
  const { client, store } = useServices();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    client.call('runs.list', { limit: readLimit }).then(
      (list) => {
        if (!cancelled) setRuns(list);
      },
      (error: unknown) => reportBackgroundError(store, 'Could not list the runs', error),
    );
    return () => {
      cancelled = true;
    };
  }, [client, store, window.from, window.to]);

  const shown = runs ? runsIn(runs, window) : [];
  return (
    <section className="runs-behind" aria-labelledby="runs-behind-title" aria-live="polite">
      <header className="runs-behind-head">
        <h3 id="runs-behind-title">
          {window.title}: {runs === null ? '…' : `${shown.length} ${shown.length === 1 ? 'run' : 'runs'}`}
        </h3>
        {onShowAll && (
          <button type="button" className="link-button" onClick={onShowAll}>
            Show the whole range
          </button>
        )}
      </header>
      {runs !== null && shown.length === 0 && <p className="empty">No run started or ended then.</p>}
      {shown.length > 0 && (
        <ul className="runs-behind-list">
          {shown.map((run) => (
            <li key={run.runId}>
              <a href={routeHref({ view: 'run', id: run.runId })}>{run.workflowName}</a> <StatusBadge status={run.status} />{' '}
              <span className="meta">
                {formatWhen(run.createdAt)} · {run.counts.succeeded}/{run.counts.total} steps
              </span>
            </li>
          ))}
        </ul>
      )}
      {runs !== null && runs.length === readLimit && <p className="meta">Only the newest {readLimit} runs were looked at.</p>}
    </section>
  );
}
