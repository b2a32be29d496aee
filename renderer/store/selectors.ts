import type { RunSummary, StepState } from '../../shared/runs.js';
import type { PhotonState } from './store.js';

/** Selectors shared by several components; each returns stable values or is used with useShallow. */
export const selectRunningCount = (s: PhotonState): number => s.runs.list.filter((r) => r.status === 'running').length;

export const selectRunsOfWorkflow =
  (workflowId: string) =>
  (s: PhotonState): RunSummary[] =>
    s.runs.list.filter((r) => r.workflowId === workflowId);

/**
 * Each steps array's steps by number, built once per array (every event makes a new one) and
 * shared by all readers: a canvas of 1,000 nodes each searching the array on every update was
 * a million comparisons an event.
 */
const stepIndexes = new WeakMap<readonly StepState[], Map<number, StepState>>();

export function stepByNumber(steps: readonly StepState[], step: number): StepState | undefined {
  let index = stepIndexes.get(steps);
  if (!index) {
    index = new Map(steps.map((s) => [s.step, s]));
    stepIndexes.set(steps, index);
  }
  return index.get(step);
}

/** One step's state in an open run: the same object until that step changes. */
export const selectRunStep =
  (runId: string, step: number) =>
  (s: PhotonState): StepState | undefined => {
    const steps = s.runs.byId[runId]?.steps;
    return steps ? stepByNumber(steps, step) : undefined;
  };
