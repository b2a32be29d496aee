import { createStore, type StoreApi } from 'zustand/vanilla';
import { createAgentsSlice, type AgentsSlice } from './agents-slice.js';
import { createApprovalsSlice, type ApprovalsSlice } from './approvals-slice.js';
import { createCanvasSlice, type CanvasSlice } from './canvas-slice.js';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice.js';
import { createMetricsSlice, type MetricsSlice } from './metrics-slice.js';
import { createRunsSlice, type RunsSlice } from './runs-slice.js';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice.js';
import { createTerminalsSlice, type TerminalsSlice } from './terminals-slice.js';
import { createUiSlice, type UiSlice } from './ui-slice.js';
import { createWorkflowsSlice, type WorkflowsSlice } from './workflows-slice.js';

/**
 * The renderer's one store, built from typed slices. It holds data and the setters that change
 * it, nothing more: calls to the engine live in sync/, and terminal output never comes in here.
 */
export type PhotonState = ConnectionSlice & WorkflowsSlice & RunsSlice & UiSlice & CanvasSlice & TerminalsSlice & AgentsSlice & MetricsSlice & SessionsSlice & ApprovalsSlice;
export type PhotonStore = StoreApi<PhotonState>;

export function createPhotonStore(): PhotonStore {
  return createStore<PhotonState>()((...a) => ({
    ...createConnectionSlice(...a),
    ...createWorkflowsSlice(...a),
    ...createRunsSlice(...a),
    ...createUiSlice(...a),
    ...createTerminalsSlice(...a),
    ...createCanvasSlice(...a),
    ...createAgentsSlice(...a),
    ...createMetricsSlice(...a),
    ...createSessionsSlice(...a),
    ...createApprovalsSlice(...a),
  }));
}
