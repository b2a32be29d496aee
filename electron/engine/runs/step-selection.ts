import { descendantsOf } from '../../../shared/graph.js';
import { PhotonError } from '../../../shared/errors.js';
import { referencedSteps } from '../../../shared/template.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { StepRow } from '../storage/index.js';

/**
 * Which steps of a workflow a run runs: `only` the steps named (run this step alone, retry it
 * with my edit), or the steps named and `from` there on, every step after them. A step that is
 * not run either lends the run its output from an earlier run of the workflow, where it
 * succeeded (so the steps that run see `{{steps.N.output}}` as they did then), or is skipped.
 */
export interface StepSelection {
  steps: readonly number[];
  mode: 'only' | 'from';
}

/** The first state of a selective run's steps, written before it starts. */
export interface SelectionPlan {
  /** Steps this run executes. */
  run: Set<number>;
  /** Steps not run whose outputs come from the earlier run: they start succeeded with that output. */
  carried: Map<number, string | null>;
  /** Steps neither run nor carried. */
  skipped: Set<number>;
}

/**
 * Plans a selective run, or refuses it with the place and the fix: an unknown step, or a step to
 * run that needs (as a dependency or through `{{steps.N.output}}`) a step that is not run and did
 * not succeed in `earlier`.
 */
export function planSelection(workflow: Workflow, selection: StepSelection, earlier: { runId: string; steps: readonly StepRow[] } | null): SelectionPlan {
  const known = new Set(workflow.workflow.map((s) => s.step));
  selection.steps.forEach((step, index) => {
    if (!known.has(step)) throw new PhotonError('invalid', `steps.steps[${index}]: step ${step} is not in the workflow (its steps are ${[...known].join(', ')})`);
  });
  const run = new Set(selection.steps);
  if (selection.mode === 'from') {
    for (const step of selection.steps) for (const after of descendantsOf(workflow.workflow, step)) run.add(after);
  }

  // Only the steps before the ones run lend their outputs; a step after them (run "only" step 2
  // of 1 -> 2 -> 3) is skipped rather than shown succeeded with an output made from the old step 2.
  const before = stepsBefore(workflow, run);
  const succeededBefore = new Map((earlier?.steps ?? []).filter((row) => row.status === 'succeeded').map((row) => [row.step, row.output]));
  const carried = new Map<number, string | null>();
  const skipped = new Set<number>();
  for (const def of workflow.workflow) {
    if (run.has(def.step)) continue;
    if (before.has(def.step) && succeededBefore.has(def.step)) carried.set(def.step, succeededBefore.get(def.step) ?? null);
    else skipped.add(def.step);
  }

  for (const def of workflow.workflow) {
    if (!run.has(def.step)) continue;
    const needed = new Set([...def.dependencies, ...referencedSteps(def.inputs)]);
    for (const need of [...needed].sort((a, b) => a - b)) {
      if (run.has(need) || carried.has(need)) continue;
      const where = earlier ? `did not succeed in run ${earlier.runId}` : 'has no earlier run to take its output from';
      throw new PhotonError('invalid', `steps: step ${def.step} needs step ${need}, which this run does not run and which ${where}; run from step ${need} instead, or include it`);
    }
  }
  return { run, carried, skipped };
}

/** Every step some step of `run` depends on, directly or not, that is not itself run. */
function stepsBefore(workflow: Workflow, run: ReadonlySet<number>): Set<number> {
  const dependencies = new Map(workflow.workflow.map((s) => [s.step, [...s.dependencies, ...referencedSteps(s.inputs)]]));
  const before = new Set<number>();
  const stack = [...run];
  while (stack.length > 0) {
    for (const dep of dependencies.get(stack.pop()!) ?? []) {
      if (run.has(dep) || before.has(dep) || !dependencies.has(dep)) continue;
      before.add(dep);
      stack.push(dep);
    }
  }
  return before;
}

/**
 * A step run in a worktree starts from its dependencies' commits; a step lent from an earlier run
 * lends its output but not its code, so a selected step depending on one would silently miss that
 * step's changes. Refused, with what works instead.
 */
export function refuseLentCode(workflow: Workflow, plan: { run: ReadonlySet<number>; carried: ReadonlyMap<number, unknown> }): void {
  for (const def of workflow.workflow) {
    if (!plan.run.has(def.step)) continue;
    const lent = def.dependencies.find((dep) => plan.carried.has(dep));
    if (lent === undefined) continue;
    throw new PhotonError(
      'invalid',
      `step ${def.step} depends on step ${lent}, whose code would come from an earlier run: with a workspace, each step starts from its dependencies' commits in the same run, so run from step ${lent} (or the whole workflow) instead`,
    );
  }
}
