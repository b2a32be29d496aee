import type { SavedWorkflow } from '../../shared/api.js';
import type { RunDetail } from '../../shared/runs.js';
import { hasChanges, invalidatedSteps, workflowChanges } from '../../shared/workflow-changes.js';

/** How the saved workflow differs from what an ended run ran, and whether the run can resume with it. */
export interface SavedDifference {
  /** "step 2 changed; step 6 added", for the note beside Resume. */
  summary: string;
  /** False when the saved version dropped a step that ran here (the engine refuses it then). */
  usable: boolean;
  /** What resuming with the saved version does, or why it cannot. */
  detail: string;
}

function steps(list: readonly number[]): string {
  if (list.length === 1) return `step ${list[0]}`;
  return `steps ${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** Null when the run was not from a saved workflow, the saved one is not loaded, or nothing differs. */
export function savedDifference(run: RunDetail, saved: SavedWorkflow | undefined): SavedDifference | null {
  if (!run.workflowId || !saved || saved.id !== run.workflowId) return null;
  const changes = workflowChanges(run.workflow, saved.workflow);
  if (!hasChanges(changes)) return null;
  const parts = [
    changes.changed.length > 0 && `${steps(changes.changed)} changed`,
    changes.added.length > 0 && `${steps(changes.added)} added`,
    changes.removed.length > 0 && `${steps(changes.removed)} removed`,
  ].filter((part): part is string => Boolean(part));
  const summary = parts.join('; ');

  const ran = new Set(run.steps.filter((s) => s.attempts > 0).map((s) => s.step));
  const lostRuns = changes.removed.filter((step) => ran.has(step));
  if (lostRuns.length > 0) {
    return { summary, usable: false, detail: `The saved version no longer has ${steps(lostRuns)}, which ran here, so this run can only resume as it ran.` };
  }
  const succeeded = new Set(run.steps.filter((s) => s.status === 'succeeded').map((s) => s.step));
  const again = [...invalidatedSteps(saved.workflow, changes)].filter((step) => succeeded.has(step)).sort((a, b) => a - b);
  const keep = again.length === 0 ? 'Succeeded steps keep their outputs.' : `Succeeded steps keep their outputs, except ${steps(again)}, which run again because they or a step they depend on changed.`;
  return { summary, usable: true, detail: `Resuming as saved runs the unfinished steps as the workflow defines them now. ${keep}` };
}
