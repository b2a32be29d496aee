import { useMemo } from 'react';
import { createNewWorkflow } from '../canvas/new-workflow.js';
import { blankTemplate } from '../canvas/templates/index.js';
import { usePhoton, useServices } from '../lib/app-context.js';

/** "New workflow": a blank workflow of one step, saved and opened on the canvas. */
export function NewWorkflowButton({ variant }: { variant: 'primary' | 'small' | 'rail' }) {
  const { client, store, actions } = useServices();
  const create = useMemo(() => createNewWorkflow(client, store, actions.navigate), [actions.navigate, client, store]);
  const busy = usePhoton((s) => Boolean(s.busy['new-workflow']));
  const onClick = async () => {
    store.getState().setBusy('new-workflow', true);
    try {
      await create(blankTemplate);
    } finally {
      store.getState().setBusy('new-workflow', false);
    }
  };
  if (variant === 'rail') {
    return (
      <button type="button" className="rail-button" aria-label="New workflow" title="New workflow" disabled={busy} onClick={() => void onClick()}>
        <span aria-hidden="true">+</span>
      </button>
    );
  }
  // In the sidebar's narrow heading "+ New" says it beside Import…; its name is still the whole.
  return (
    <button type="button" className={`button ${variant}`} disabled={busy} onClick={() => void onClick()} aria-label="New workflow">
      <span aria-hidden="true">+ </span>
      {variant === 'small' ? 'New' : 'New workflow'}
    </button>
  );
}
