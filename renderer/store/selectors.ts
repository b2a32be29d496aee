import type { RunSummary } from '../../shared/runs.js';
import type { PhotonState } from './store.js';

/** Selectors shared by several components; each returns stable values or is used with useShallow. */
export const selectRunningCount = (s: PhotonState): number => s.runs.list.filter((r) => r.status === 'running').length;

export const selectRunsOfWorkflow =
  (workflowId: string) =>
  (s: PhotonState): RunSummary[] =>
    s.runs.list.filter((r) => r.workflowId === workflowId);
