import type { StateCreator } from 'zustand';
import type { SavedWorkflow, WorkflowSummary } from '../../shared/api.js';
import type { PhotonState } from './store.js';

export interface WorkflowsSlice {
  workflows: {
    list: WorkflowSummary[];
    /** False until the first list arrives, so the sidebar can tell "none" from "not yet". */
    loaded: boolean;
    /** Full definitions of workflows a view has opened. */
    byId: Record<string, SavedWorkflow>;
  };
  workflowsLoaded(list: WorkflowSummary[]): void;
  workflowLoaded(workflow: SavedWorkflow): void;
  workflowRemoved(id: string): void;
}

/** Replaces the list; definitions of workflows no longer listed are dropped with them. */
export function withWorkflowList(state: WorkflowsSlice['workflows'], list: WorkflowSummary[]): WorkflowsSlice['workflows'] {
  return { ...state, list, loaded: true };
}

export function withoutWorkflow(state: WorkflowsSlice['workflows'], id: string): WorkflowsSlice['workflows'] {
  const { [id]: _removed, ...byId } = state.byId;
  return { ...state, list: state.list.filter((w) => w.id !== id), byId };
}

export function withWorkflow(state: WorkflowsSlice['workflows'], workflow: SavedWorkflow): WorkflowsSlice['workflows'] {
  const { workflow: _definition, ...summary } = workflow;
  const index = state.list.findIndex((w) => w.id === workflow.id);
  const list = index === -1 ? state.list : state.list.map((w, i) => (i === index ? summary : w));
  return { ...state, list, byId: { ...state.byId, [workflow.id]: workflow } };
}

export const createWorkflowsSlice: StateCreator<PhotonState, [], [], WorkflowsSlice> = (set) => ({
  workflows: { list: [], loaded: false, byId: {} },
  workflowsLoaded: (list) => set((s) => ({ workflows: withWorkflowList(s.workflows, list) })),
  workflowLoaded: (workflow) => set((s) => ({ workflows: withWorkflow(s.workflows, workflow) })),
  workflowRemoved: (id) => set((s) => ({ workflows: withoutWorkflow(s.workflows, id) })),
});
