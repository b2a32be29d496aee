import type { RunSummary } from '../../shared/runs.js';
import { triggerWords } from '../canvas/decision-words.js';
import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';

/** Where a run came from when no person started it here: the parent run of a sub-workflow, a schedule or a trigger. */
export function RunOrigin({ parent, trigger }: Pick<RunSummary, 'parent' | 'trigger'>) {
  const parentName = usePhoton((s) => (parent ? (s.runs.byId[parent.runId]?.workflowName ?? s.runs.list.find((r) => r.runId === parent.runId)?.workflowName) : undefined));
  if (!parent && !trigger) return null;
  return (
    <p className="meta run-origin">
      {parent && (
        <span>
          Sub-workflow of step {parent.step} in <a href={routeHref({ view: 'run', id: parent.runId })}>{parentName ? `the run of ${parentName}` : `run ${parent.runId}`}</a>
        </span>
      )}
      {parent && trigger && ' · '}
      {trigger && <span data-trigger={trigger.kind}>{triggerWords(trigger)}</span>}
    </p>
  );
}
