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
  /** Applies a pin the engine accepted; pinned workflows are listed first. */
  workflowPinned(id: string, pinned: boolean): void;
}

/**
 * Pinned workflows first; within each group the engine's order (most recently updated first).
 * Sorting here, not only in the engine, lets a pin move its workflow at once.
 */
export function pinnedFirst(list: readonly WorkflowSummary[]): WorkflowSummary[] {
  const updated = (w: WorkflowSummary) => Date.parse(w.updatedAt) || 0;
  return [...list].sort((a, b) => Number(b.pinned) - Number(a.pinned) || updated(b) - updated(a));
}

/** Replaces the list; definitions of workflows no longer listed are dropped with them. */
export function withWorkflowList(state: WorkflowsSlice['workflows'], list: WorkflowSummary[]): WorkflowsSlice['workflows'] {
  return { ...state, list: pinnedFirst(list), loaded: true };
}

export function withoutWorkflow(state: WorkflowsSlice['workflows'], id: string): WorkflowsSlice['workflows'] {
  const { [id]: _removed, ...byId } = state.byId;
  return { ...state, list: state.list.filter((w) => w.id !== id), byId };
}

export function withWorkflow(state: WorkflowsSlice['workflows'], workflow: SavedWorkflow): WorkflowsSlice['workflows'] {
  const { workflow: _definition, ...summary } = workflow;
  const index = state.list.findIndex((w) => w.id === workflow.id);
  const list = index === -1 ? state.list : state.list.map((w, i) => (i === index ? summary : w));
  return { ...state, list: pinnedFirst(list), byId: { ...state.byId, [workflow.id]: workflow } };
}

export function withWorkflowPinned(state: WorkflowsSlice['workflows'], id: string, pinned: boolean): WorkflowsSlice['workflows'] {
  const list = pinnedFirst(state.list.map((w) => (w.id === id ? { ...w, pinned } : w)));
  const saved = state.byId[id];
  return { ...state, list, byId: saved ? { ...state.byId, [id]: { ...saved, pinned } } : state.byId };
}

export const createWorkflowsSlice: StateCreator<PhotonState, [], [], WorkflowsSlice> = (set) => ({
  workflows: { list: [], loaded: false, byId: {} },
  workflowsLoaded: (list) => set((s) => ({ workflows: withWorkflowList(s.workflows, list) })),
  workflowLoaded: (workflow) => set((s) => ({ workflows: withWorkflow(s.workflows, workflow) })),
  workflowRemoved: (id) => set((s) => ({ workflows: withoutWorkflow(s.workflows, id) })),
  workflowPinned: (id, pinned) => set((s) => ({ workflows: withWorkflowPinned(s.workflows, id, pinned) })),
});
