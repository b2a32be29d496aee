import { ancestorsOf } from './graph.js';
import { stepSchema, type WorkflowStep } from './workflow.js';

/**
 * How a workflow's steps differ between two versions (a run's definition and the workflow saved
 * since), so the engine and the run page agree about what "changed" means when a run is resumed
 * with the saved version.
 */
export interface WorkflowChanges {
  /** Steps in both versions whose definition differs (command, agent, dependencies, policy...). */
  changed: number[];
  /** Steps only the newer version has. */
  added: number[];
  /** Steps only the older version has. */
  removed: number[];
}

/** Defaults filled in and keys in one order, so a field written out or left to its default compares equal. */
function canonical(step: unknown): string {
  const parsed = stepSchema.safeParse(step);
  return stableJson(parsed.success ? parsed.data : step);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function workflowChanges(before: { workflow: readonly WorkflowStep[] }, after: { workflow: readonly WorkflowStep[] }): WorkflowChanges {
  const old = new Map(before.workflow.map((s) => [s.step, canonical(s)]));
  const now = new Map(after.workflow.map((s) => [s.step, canonical(s)]));
  const changed: number[] = [];
  const added: number[] = [];
  for (const [step, text] of now) {
    const was = old.get(step);
    if (was === undefined) added.push(step);
    else if (was !== text) changed.push(step);
  }
  const removed = [...old.keys()].filter((step) => !now.has(step));
  const ascending = (a: number, b: number) => a - b;
  return { changed: changed.sort(ascending), added: added.sort(ascending), removed: removed.sort(ascending) };
}

export function hasChanges(changes: WorkflowChanges): boolean {
  return changes.changed.length + changes.added.length + changes.removed.length > 0;
}

/**
 * Steps of the newer version that must run again though they succeeded: changed ones and those
 * downstream of a changed or added step (their inputs may differ now).
 */
export function invalidatedSteps(after: { workflow: readonly WorkflowStep[] }, changes: WorkflowChanges): Set<number> {
  const touched = new Set([...changes.changed, ...changes.added]);
  const invalid = new Set<number>();
  for (const step of after.workflow) {
    if (touched.has(step.step) || [...ancestorsOf(after.workflow, step.step)].some((a) => touched.has(a))) invalid.add(step.step);
  }
  return invalid;
}
