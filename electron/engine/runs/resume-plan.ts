import { PhotonError } from '../../../shared/errors.js';
import { invalidatedSteps, workflowChanges } from '../../../shared/workflow-changes.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { StepRow } from '../storage/index.js';

/**
 * What resuming a run with a newer definition (the workflow as saved since) does to its steps:
 * succeeded steps keep their outputs unless they or a step they depend on changed; every other
 * step runs again as the newer definition says.
 */
export interface ResumePlan {
  /** Succeeded steps that must run again: they or an ancestor changed. */
  rerun: number[];
  /** Steps only the newer definition has: they get a row and run. */
  added: number[];
  /** Steps the newer definition dropped that never ran: their rows go. */
  dropped: number[];
  /** Steps that changed, or below one that did: a fan-out among them runs all its items again. */
  changed: number[];
}

export function planResume(runId: string, before: Workflow, after: Workflow, rows: readonly StepRow[]): ResumePlan {
  const changes = workflowChanges(before, after);
  const byStep = new Map(rows.map((row) => [row.step, row]));
  // A step that ran keeps its attempts (and their logs) in the run; dropping it would lose them.
  const ran = changes.removed.filter((step) => (byStep.get(step)?.attempts ?? 0) > 0);
  if (ran.length > 0) {
    const list = ran.map((s) => `step ${s}`).join(', ');
    throw new PhotonError(
      'conflict',
      `run ${runId} cannot be resumed with the saved workflow: it no longer has ${list}, which ran here; resume with the run's own definition, or start a new run`,
    );
  }
  const invalid = invalidatedSteps(after, changes);
  const rerun = [...invalid].filter((step) => byStep.get(step)?.status === 'succeeded').sort((a, b) => a - b);
  return { rerun, added: changes.added, dropped: changes.removed, changed: [...invalid].sort((a, b) => a - b) };
}
