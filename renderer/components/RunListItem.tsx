import { memo } from 'react';
import type { RunSummary } from '../../shared/runs.js';
import { usePhoton } from '../lib/app-context.js';
import { triggerWords } from '../canvas/decision-words.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { StatusBadge } from './StatusBadge.js';

/** Memoised: a run's update replaces only its own summary, so only its row renders again. */
export const RunListItem = memo(function RunListItem({ run }: { run: RunSummary }) {
  const active = usePhoton((s) => s.route.view === 'run' && s.route.id === run.runId);
  const { counts } = run;

  return (
    <li className={active ? 'nav-item active' : 'nav-item'}>
      <a href={routeHref({ view: 'run', id: run.runId })} aria-current={active ? 'page' : undefined}>
        <span className="nav-title">{run.workflowName}</span>
        <span className="nav-meta">
          <StatusBadge status={run.status} />
          <span>
            {counts.succeeded}/{counts.total} · {formatWhen(run.createdAt)}
          </span>
          {run.trigger && (
            <span className="nav-trigger" title={triggerWords(run.trigger)}>
              <span aria-hidden="true">{run.trigger.kind === 'file' ? 'file' : run.trigger.kind}</span>
              <span className="visually-hidden">{triggerWords(run.trigger)}</span>
            </span>
          )}
          {run.parent && (
            <span className="nav-trigger" title={`Sub-workflow of step ${run.parent.step} in run ${run.parent.runId}`}>
              <span aria-hidden="true">sub-run</span>
              <span className="visually-hidden">Sub-workflow run</span>
            </span>
          )}
        </span>
      </a>
    </li>
  );
});
