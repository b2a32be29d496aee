import type { WorkflowSummary } from '../../shared/api.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { pinBusyKey, pinWorkflow } from '../sync/pin-workflow.js';
import './pin-button.css';

/**
 * Pins a workflow to the top of the sidebar and the tray's Start menu. A toggle: its name stays
 * "Pin …" and `aria-pressed` says whether it is pinned; the icon is filled when it is.
 */
export function PinButton({ workflow, variant }: { workflow: Pick<WorkflowSummary, 'id' | 'name' | 'pinned'>; variant: 'icon' | 'button' }) {
  const { client, store } = useServices();
  const busy = usePhoton((s) => Boolean(s.busy[pinBusyKey(workflow.id)]));
  const toggle = () => void pinWorkflow(client, store, workflow.id, !workflow.pinned);
  const hint = workflow.pinned ? 'Unpin: stop listing it first' : 'Pin: list it first here and in the tray';

  if (variant === 'icon') {
    return (
      <button type="button" className="icon-button pin-button" aria-label={`Pin ${workflow.name}`} aria-pressed={workflow.pinned} title={hint} disabled={busy} onClick={toggle}>
        <PinIcon filled={workflow.pinned} />
      </button>
    );
  }
  return (
    <button type="button" className="button pin-button" aria-pressed={workflow.pinned} title={hint} disabled={busy} onClick={toggle}>
      <PinIcon filled={workflow.pinned} />
      Pin
    </button>
  );
}

/** Drawn rather than an emoji, so it shows on systems without an emoji font. */
function PinIcon({ filled }: { filled: boolean }) {
  return (
    <svg aria-hidden="true" focusable="false" width="14" height="14" viewBox="0 0 16 16" fill={filled ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      <path d="M5.5 2h5l-.8 4.2 2.3 2.3H4l2.3-2.3L5.5 2Z" />
      <path d="M8 8.5V14" fill="none" strokeLinecap="round" />
    </svg>
  );
}
