import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createCanvasActions } from '../canvas/canvas-actions.js';
import { WorkflowCanvas } from '../canvas/WorkflowCanvas.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { selectRunsOfWorkflow } from '../store/selectors.js';
import { IsolatedRunDialog, type IsolationChoice } from '../workspaces/IsolatedRunDialog.js';
import { SchedulesDialog } from '../schedules/SchedulesDialog.js';
import { PinButton } from './PinButton.js';
import { ViewError } from './ViewError.js';
import { ViewTitle } from './ViewTitle.js';
import { WorkflowRuns } from './WorkflowRuns.js';

export function WorkflowView({ id }: { id: string }) {
  const { client, store, actions } = useServices();
  const canvasActions = useMemo(() => createCanvasActions(client, store, actions.navigate), [client, store, actions.navigate]);
  const saved = usePhoton((s) => s.workflows.byId[id]);
  const error = usePhoton((s) => s.viewErrors[`workflow:${id}`]);
  const busy = usePhoton((s) => Boolean(s.busy[`workflow:${id}`]));
  const runs = usePhoton(useShallow(selectRunsOfWorkflow(id)));
  useDocumentTitle(saved?.name ?? null);

  // What the user sees is what runs: unsaved edits are saved first, and a canvas with problems is
  // not run. Busy from the first click, read from the store (a second click can come before React
  // disables the button), so a double click starts one run.
  const run = async (isolation?: IsolationChoice): Promise<boolean> => {
    const busyKey = `workflow:${id}`;
    const { canvas, busy: busyNow, setBusy } = store.getState();
    if (busyNow[busyKey]) return false;
    if (canvas.workflowId === id && canvas.dirty) {
      setBusy(busyKey, true);
      const saved = await canvasActions.save();
      setBusy(busyKey, false);
      if (!saved) return false;
    }
    return actions.startRun(id, isolation && { repo: isolation.repo, ...(isolation.base ? { base: isolation.base } : {}) });
  };
  const [isolating, setIsolating] = useState(false);
  const [scheduling, setScheduling] = useState(false);

  if (error) return <ViewError what="Workflow" error={error} />;
  if (!saved) return <p className="view loading">Loading workflow…</p>;

  return (
    <article className="view workflow-canvas-view">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>{saved.name}</ViewTitle>
          {saved.description && <p className="lead">{saved.description}</p>}
          <p className="meta">
            {saved.stepCount} {saved.stepCount === 1 ? 'step' : 'steps'} · workflow <code>{saved.id}</code>
          </p>
        </div>
        <div className="view-actions">
          {/* The primary action comes first in the tab order: Tab from the title reaches Run. */}
          <button type="button" className="button primary" disabled={busy} onClick={() => void run()}>
            <span aria-hidden="true">▶ </span>
            {busy ? 'Starting…' : 'Run workflow'}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => setIsolating(true)}>
            Run in worktrees…
          </button>
          <button type="button" className="button" onClick={() => setScheduling(true)}>
            Schedules…
          </button>
          <PinButton workflow={saved} variant="button" />
        </div>
      </header>
      <WorkflowCanvas workflowId={id} saved={saved} />
      <WorkflowRuns runs={runs} />
      {scheduling && <SchedulesDialog workflowId={id} workflowName={saved.name} onClose={() => setScheduling(false)} />}
      {isolating && (
        <IsolatedRunDialog
          workflowId={id}
          // A repository "." is the workflow file's folder, which a saved workflow no longer has.
          initial={{ repo: saved.workflow.workspace?.repo === '.' ? '' : (saved.workflow.workspace?.repo ?? ''), base: saved.workflow.workspace?.base ?? '' }}
          onStart={run}
          onClose={() => setIsolating(false)}
        />
      )}
    </article>
  );
}
