import type { RunSummary } from '../../shared/runs.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { StatusBadge } from './StatusBadge.js';

/** The recent runs of one workflow, from the sidebar's list. */
export function WorkflowRuns({ runs }: { runs: RunSummary[] }) {
  if (runs.length === 0) return null;
  return (
    <section className="workflow-runs" aria-labelledby="workflow-runs-heading">
      <h2 id="workflow-runs-heading">Recent runs of this workflow</h2>
      <ul className="plain-list">
        {runs.slice(0, 10).map((run) => (
          <li key={run.runId}>
            <a href={routeHref({ view: 'run', id: run.runId })}>Run started {formatWhen(run.createdAt)}</a> <StatusBadge status={run.status} />{' '}
            <span className="meta">
              {run.counts.succeeded}/{run.counts.total} steps succeeded
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
