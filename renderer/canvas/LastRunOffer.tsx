import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { statusLabel } from '../lib/status.js';

/**
 * When the canvas shows no run, the workflow's last one can be put on it: each step's status,
 * why a failed one failed, and a retry of it with the edits made since.
 */
export function LastRunOffer({ workflowId, onShow }: { workflowId: string; onShow(runId: string): void }) {
  const last = usePhoton((s) => s.runs.list.find((r) => r.workflowId === workflowId));
  if (!last) return null;
  return (
    <p className="canvas-run-banner canvas-last-run">
      Last run {statusLabel(last.status).toLowerCase()} at {formatWhen(last.finishedAt ?? last.createdAt)} ({last.counts.succeeded} of {last.counts.total} succeeded).{' '}
      <button type="button" className="link-button" onClick={() => onShow(last.runId)}>
        Show it on the canvas
      </button>
    </p>
  );
}
