import { PhotonError } from '../../../shared/errors.js';
import { namedReferences } from '../../../shared/template.js';
import { subWorkflowPlatform, type Workflow, type WorkflowStep } from '../../../shared/workflow.js';

/**
 * Sub-workflows, checked before a run starts: every workflow a step runs (`"platform": "workflow"`,
 * `inputs.workflow`), and every one those run in turn, is a saved workflow; none runs itself
 * through others (A → B → A); none reads an input (`{{inputs.NAME}}`) its step does not pass; and
 * the nesting stays within `maxSubWorkflowDepth`. A child run is checked again as it starts, with
 * the runs above it (read from their stored links) at the head of its chain: the guard at run time
 * against a workflow saved differently since its ancestors started.
 */

/** How deep sub-workflows may nest: a run, its child, the child's child… */
export const maxSubWorkflowDepth = 8;

/** A saved workflow found by its id or name, parsed and checked as a new run would be. */
export interface SavedWorkflowRef {
  id: string;
  name: string;
  workflow: Workflow;
}

export interface SavedWorkflowLookup {
  /** By id, else by name; undefined when none. Throws when a name is ambiguous or the saved one is no longer valid. */
  resolveRef(ref: string): SavedWorkflowRef | undefined;
}

/** What a sub-workflow step passes its child: its (rendered) inputs besides `workflow`. */
export function passedInputs(rendered: Record<string, unknown>): Record<string, unknown> {
  const { workflow: _workflow, ...rest } = rendered;
  return rest;
}

/** The sub-workflow steps of a workflow, with their place. */
function subWorkflowSteps(workflow: Workflow): { step: WorkflowStep; index: number; ref: string }[] {
  return workflow.workflow.flatMap((step, index) => (step.platform === subWorkflowPlatform && typeof step.inputs.workflow === 'string' ? [{ step, index, ref: step.inputs.workflow }] : []));
}

/** The `{{inputs.NAME}}` a workflow's steps read. */
export function inputsRead(workflow: Workflow): string[] {
  return [...new Set(workflow.workflow.flatMap((step) => namedReferences(step.inputs).inputs))].sort();
}

/** A workflow in a chain of runs: its saved id (null for one run from a file) and name. */
export interface ChainLink {
  id: string | null;
  name: string;
}

/**
 * Throws an `invalid` error naming the place and the chain when the workflow (saved as `rootId`,
 * or from a file when null) cannot run its sub-workflows; `above` are the workflows of the runs
 * above it, the topmost first, for a child run.
 */
export function checkSubWorkflows(root: Workflow, rootId: string | null, saved: SavedWorkflowLookup | undefined, above: readonly ChainLink[] = []): void {
  const start = [...above, { id: rootId, name: root.name }];
  const again = rootId === null ? -1 : above.findIndex((c) => c.id === rootId);
  if (again >= 0) throw new PhotonError('invalid', `workflows run each other in a cycle: ${start.slice(again).map((c) => c.name).join(' → ')}; a workflow cannot run itself, directly or through others`);
  if (start.length > maxSubWorkflowDepth) throw new PhotonError('invalid', `sub-workflows nest deeper than ${maxSubWorkflowDepth} (${start.map((c) => c.name).join(' → ')}); flatten some of them`);
  if (subWorkflowSteps(root).length === 0) return;
  if (!saved) throw new PhotonError('invalid', 'this engine cannot run sub-workflows: it has no saved workflows to look them up in');
  // Each saved workflow is explored once: a diamond (A runs B and C, both run D) stays linear.
  const explored = new Set<string>();
  const visit = (workflow: Workflow, chain: ChainLink[]): void => {
    const within = chain.length > 1 ? `in "${workflow.name}" (run by ${chain.slice(0, -1).map((c) => `"${c.name}"`).join(' → ')}): ` : '';
    for (const { step, index, ref } of subWorkflowSteps(workflow)) {
      const place = `${within}workflow[${index}].inputs.workflow`;
      const found = saved.resolveRef(ref);
      if (!found) throw new PhotonError('invalid', `${place}: no saved workflow has the id or name "${ref}"; save it first, or correct the name`);
      if (chain.some((c) => c.id === found.id)) {
        const names = [...chain.map((c) => c.name), found.name];
        const start = chain.findIndex((c) => c.id === found.id);
        throw new PhotonError('invalid', `${place}: workflows run each other in a cycle: ${names.slice(start).join(' → ')}; a workflow cannot run itself, directly or through others`);
      }
      if (chain.length >= maxSubWorkflowDepth) {
        throw new PhotonError('invalid', `${place}: sub-workflows nest deeper than ${maxSubWorkflowDepth} (${[...chain.map((c) => c.name), found.name].join(' → ')}); flatten some of them`);
      }
      const missing = inputsRead(found.workflow).filter((name) => !Object.hasOwn(step.inputs, name) || name === 'workflow');
      if (missing.length > 0) {
        const list = missing.map((name) => `{{inputs.${name}}}`).join(', ');
        throw new PhotonError('invalid', `${within}workflow[${index}].inputs: "${found.name}" reads ${list}, which this step does not pass; add ${missing.map((n) => `"${n}"`).join(', ')} to its inputs`);
      }
      if (explored.has(found.id)) continue;
      visit(found.workflow, [...chain, { id: found.id, name: found.name }]);
      explored.add(found.id);
    }
  };
  visit(root, start);
}
