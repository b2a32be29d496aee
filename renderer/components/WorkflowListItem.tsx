import { useState } from 'react';
import type { WorkflowSummary } from '../../shared/api.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { PinButton } from './PinButton.js';
import { TrashIcon } from './TrashIcon.js';

export function WorkflowListItem({ workflow }: { workflow: WorkflowSummary }) {
  const { actions } = useServices();
  const active = usePhoton((s) => s.route.view === 'workflow' && s.route.id === workflow.id);
  const busy = usePhoton((s) => Boolean(s.busy[`workflow:${workflow.id}`]));
  const [confirming, setConfirming] = useState(false);

  return (
    <li className={active ? 'nav-item active' : 'nav-item'}>
      <a href={routeHref({ view: 'workflow', id: workflow.id })} aria-current={active ? 'page' : undefined}>
        <span className="nav-title">{workflow.name}</span>
        <span className="nav-meta">
          {workflow.stepCount} {workflow.stepCount === 1 ? 'step' : 'steps'}
        </span>
      </a>
      <PinButton workflow={workflow} variant="icon" />
      <button
        type="button"
        className="icon-button"
        aria-label={`Delete workflow ${workflow.name}`}
        title="Delete"
        disabled={busy}
        onClick={() => setConfirming(true)}
      >
        <TrashIcon />
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${workflow.name}”?`}
          message="The workflow is removed from the list. Its past runs stay in the run history."
          confirmLabel="Delete workflow"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void actions.deleteWorkflow(workflow.id);
          }}
        />
      )}
    </li>
  );
}
