import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import type { WorkflowStep } from '../../shared/workflow.js';
import { autoLayout } from '../canvas/auto-layout.js';
import {
  connectionProblem,
  copyOf,
  deriveEdges,
  fromWorkflow,
  makeNode,
  newStep,
  nextStepNumber,
  pasted,
  stepOf,
  toWorkflow,
  withDependency,
  withoutParts,
  type ClipboardContent,
  type DependencyEdge,
  type StepNode,
  type WorkflowMeta,
} from '../canvas/graph-model.js';
import { noIssues, validateCanvas, type CanvasIssues } from '../canvas/validation.js';
import type { PhotonState } from './store.js';

/** One state of the graph, as undo and redo keep it. */
interface Snapshot {
  meta: WorkflowMeta;
  nodes: StepNode[];
  edges: DependencyEdge[];
}

/** How many edits undo can go back. */
export const historyLimit = 200;

export interface CanvasState {
  /** The saved workflow the canvas edits (null before one is opened). */
  workflowId: string | null;
  /** The saved version the canvas started from (its updatedAt), so a reload of the same version keeps the history. */
  revision: string | null;
  meta: WorkflowMeta;
  nodes: StepNode[];
  edges: DependencyEdge[];
  past: Snapshot[];
  future: Snapshot[];
  /** Differs from the version opened or last saved (an undo back to it is clean again). */
  dirty: boolean;
  /** The opened or last saved version as toWorkflow writes it, what `dirty` compares with. */
  savedText: string | null;
  /**
   * Why the last edit was refused (or another short notice), shown over the canvas. A save refused
   * for problems (`saveRefused`) goes away by itself once the problems are fixed.
   */
  message: { id: number; text: string; saveRefused?: boolean } | null;
  issues: CanvasIssues;
  clipboard: ClipboardContent | null;
  /** Edits sharing a key in a row (typing in one field) make one undo step. */
  lastEditKey: string | null;
  /** True between the first and last position change of a drag. */
  dragging: boolean;
}

export interface CanvasSlice {
  canvas: CanvasState;
  /** Opens a saved workflow (or an imported definition) on the canvas, clearing history. */
  canvasOpen(workflowId: string | null, workflow: { workflow: WorkflowStep[] } & Record<string, unknown>, revision?: string | null): void;
  canvasNodesChange(changes: NodeChange<StepNode>[]): void;
  canvasEdgesChange(changes: EdgeChange<DependencyEdge>[]): void;
  /** Adds "to depends on from"; refused (false, with a message) for a self-loop, duplicate or cycle. */
  canvasConnect(from: number, to: number): boolean;
  /** Adds a step of a platform (or a palette decision kind: step-kind.ts) at a position and selects it; returns its number. */
  canvasAddStep(platform: string, position: XYPosition): number;
  canvasDeleteSelection(): void;
  canvasDelete(steps: number[], edgeIds: string[]): void;
  /** Replaces fields of a step (from the inspector). `key` groups keystrokes into one undo step. */
  canvasUpdateStep(step: number, patch: Partial<WorkflowStep>, key?: string): void;
  canvasSetMeta(patch: Partial<WorkflowMeta>, key?: string): void;
  canvasSelect(steps: number[]): void;
  canvasSelectAll(): void;
  canvasCopy(): void;
  canvasPaste(offset?: XYPosition): number[];
  canvasDuplicate(): number[];
  canvasLayout(): void;
  /** Replaces the graph with an imported definition, as one undoable edit. */
  canvasReplace(workflow: { workflow: WorkflowStep[] } & Record<string, unknown>): void;
  canvasUndo(): void;
  canvasRedo(): void;
  /** `workflow` is what was saved (toWorkflow's result): edits made while the save was on its way stay unsaved. */
  canvasSaved(workflowId: string, revision: string | null, workflow: Record<string, unknown>): void;
  canvasMessage(text: string | null, options?: { saveRefused?: boolean }): void;
  /** Forgets the unsaved draft (the user chose to leave without saving): the saved version opens next time. */
  canvasDiscard(): void;
  /** Re-checks with the engine's runnable platforms once they are known. */
  canvasRevalidate(): void;
}

const emptyMeta: WorkflowMeta = { name: 'Untitled workflow' };
let nextMessageId = 1;

export const initialCanvas: CanvasState = {
  workflowId: null,
  revision: null,
  meta: emptyMeta,
  nodes: [],
  edges: [],
  past: [],
  future: [],
  dirty: false,
  savedText: null,
  message: null,
  issues: noIssues,
  clipboard: null,
  lastEditKey: null,
  dragging: false,
};

function runnable(state: PhotonState): string[] {
  return state.system?.runnablePlatforms ?? ['shell'];
}

function snapshot(canvas: CanvasState): Snapshot {
  return { meta: canvas.meta, nodes: canvas.nodes, edges: canvas.edges };
}

/** The document as it would be saved: selection and other view state left out. */
function savedForm(doc: Pick<CanvasState, 'meta' | 'nodes'>): string {
  return JSON.stringify(toWorkflow(doc));
}

/** The message after an edit: a refused save's reason stays only while there are problems left. */
function messageAfter(message: CanvasState['message'], issues: CanvasIssues): CanvasState['message'] {
  return message?.saveRefused && issues.count === 0 ? null : message;
}

export const createCanvasSlice: StateCreator<PhotonState, [], [], CanvasSlice> = (set, get) => {
  const canvas = () => get().canvas;
  const put = (patch: Partial<CanvasState>) => set((s) => ({ canvas: { ...s.canvas, ...patch } }));

  /**
   * Every graph edit goes through here: the state before it joins the undo history (unless this
   * edit continues the last one), redo is cleared, edges are re-derived and the engine's checks run.
   */
  const edit = (next: { nodes?: StepNode[]; meta?: WorkflowMeta }, key: string | null = null, extra: Partial<CanvasState> = {}) => {
    const current = canvas();
    const continues = key !== null && key === current.lastEditKey;
    const past = continues ? current.past : [...current.past, snapshot(current)].slice(-historyLimit);
    const nodes = next.nodes ?? current.nodes;
    const meta = next.meta ?? current.meta;
    const edges = next.nodes ? deriveEdges(nodes, current.edges) : current.edges;
    const issues = validateCanvas({ meta, nodes }, runnable(get()));
    const dirty = savedForm({ meta, nodes }) !== current.savedText;
    put({ nodes, meta, edges, past, future: [], dirty, lastEditKey: key, issues, message: messageAfter(current.message, issues), ...extra });
  };

  const restore = (to: Snapshot, past: Snapshot[], future: Snapshot[]) => {
    const issues = validateCanvas(to, runnable(get()));
    put({ ...to, past, future, dirty: savedForm(to) !== canvas().savedText, lastEditKey: null, issues, message: messageAfter(canvas().message, issues) });
  };

  const selected = () => canvas().nodes.filter((n) => n.selected);

  return {
    canvas: initialCanvas,

    canvasOpen: (workflowId, workflow, revision = null) => {
      const opened = fromWorkflow(workflow);
      const nodes = opened.positioned ? opened.nodes : autoLayout(opened.nodes);
      set({
        canvas: {
          ...initialCanvas,
          clipboard: canvas().clipboard,
          workflowId,
          revision,
          meta: opened.meta,
          nodes,
          edges: deriveEdges(nodes),
          savedText: savedForm({ meta: opened.meta, nodes }),
          issues: validateCanvas({ meta: opened.meta, nodes }, runnable(get())),
        },
      });
    },

    canvasNodesChange: (changes) => {
      const current = canvas();
      // Removal goes through canvasDelete, so nodes and their edges leave as one undo step.
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace');
      if (kept.length === 0) return;
      const moves = kept.filter((c) => c.type === 'position');
      const nodes = applyNodeChanges(kept, current.nodes);
      if (moves.length === 0) {
        put({ nodes });
        return;
      }
      const stillDragging = moves.some((c) => c.type === 'position' && c.dragging === true);
      if (!current.dragging) {
        // The first move of a drag: the positions before it are what undo returns to.
        put({
          nodes,
          past: [...current.past, snapshot(current)].slice(-historyLimit),
          future: [],
          dirty: true,
          lastEditKey: null,
          dragging: stillDragging,
        });
      } else if (stillDragging) {
        put({ nodes, dragging: true });
      } else {
        // The drag ended: a node put back where it was leaves the workflow as saved.
        put({ nodes, dragging: false, dirty: savedForm({ meta: current.meta, nodes }) !== current.savedText });
      }
    },

    canvasEdgesChange: (changes) => {
      const kept = changes.filter((c) => c.type === 'select');
      if (kept.length > 0) put({ edges: applyEdgeChanges(kept, canvas().edges) });
    },

    canvasConnect: (from, to) => {
      const problem = connectionProblem(canvas().nodes, from, to);
      if (problem) {
        put({ message: { id: nextMessageId++, text: problem } });
        return false;
      }
      edit({ nodes: withDependency(canvas().nodes, from, to) }, null, { message: null });
      return true;
    },

    canvasAddStep: (platform, position) => {
      const current = canvas().nodes;
      const number = nextStepNumber(current);
      const nodes = [...current.map((n) => (n.selected ? { ...n, selected: false } : n)), makeNode(newStep(platform, number), position, true)];
      edit({ nodes });
      return number;
    },

    canvasDeleteSelection: () => {
      const steps = selected().map(stepOf);
      const edges = canvas()
        .edges.filter((e) => e.selected)
        .map((e) => e.id);
      get().canvasDelete(steps, edges);
    },

    canvasDelete: (steps, edgeIds) => {
      if (steps.length === 0 && edgeIds.length === 0) return;
      edit({ nodes: withoutParts(canvas().nodes, new Set(steps), new Set(edgeIds)) });
    },

    canvasUpdateStep: (step, patch, key) => {
      const nodes = canvas().nodes.map((n) => (stepOf(n) === step ? { ...n, data: { step: { ...n.data.step, ...patch, step } } } : n));
      edit({ nodes }, key ? `step:${step}:${key}` : null);
    },

    canvasSetMeta: (patch, key) => edit({ meta: { ...canvas().meta, ...patch } }, key ? `meta:${key}` : null),

    canvasSelect: (steps) => {
      const wanted = new Set(steps);
      put({
        nodes: canvas().nodes.map((n) => (Boolean(n.selected) === wanted.has(stepOf(n)) ? n : { ...n, selected: wanted.has(stepOf(n)) })),
        edges: canvas().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      });
    },

    canvasSelectAll: () => get().canvasSelect(canvas().nodes.map(stepOf)),

    canvasCopy: () => {
      const nodes = selected();
      if (nodes.length > 0) put({ clipboard: copyOf(nodes) });
    },

    canvasPaste: (offset = { x: 40, y: 40 }) => {
      const clip = canvas().clipboard;
      if (!clip || clip.steps.length === 0) return [];
      const result = pasted(canvas().nodes, clip, offset);
      edit({ nodes: result.nodes });
      // The next paste lands a little further on, not on top of this one.
      put({ clipboard: { steps: clip.steps.map((s) => ({ ...s, position: { x: s.position.x + offset.x, y: s.position.y + offset.y } })) } });
      return result.added;
    },

    canvasDuplicate: () => {
      const nodes = selected();
      if (nodes.length === 0) return [];
      const result = pasted(canvas().nodes, copyOf(nodes), { x: 40, y: 40 });
      edit({ nodes: result.nodes });
      return result.added;
    },

    canvasLayout: () => edit({ nodes: autoLayout(canvas().nodes) }),

    canvasReplace: (workflow) => {
      const opened = fromWorkflow(workflow);
      const nodes = opened.positioned ? opened.nodes : autoLayout(opened.nodes);
      edit({ nodes, meta: opened.meta });
    },

    canvasUndo: () => {
      const { past, future } = canvas();
      const previous = past.at(-1);
      if (!previous) return;
      restore(previous, past.slice(0, -1), [snapshot(canvas()), ...future]);
    },

    canvasRedo: () => {
      const { past, future } = canvas();
      const next = future[0];
      if (!next) return;
      restore(next, [...past, snapshot(canvas())], future.slice(1));
    },

    canvasSaved: (workflowId, revision, workflow) => {
      const savedText = JSON.stringify(workflow);
      put({ workflowId, revision, savedText, dirty: savedForm(canvas()) !== savedText, lastEditKey: null });
    },

    canvasMessage: (text, options = {}) => put({ message: text === null ? null : { id: nextMessageId++, text, ...options } }),

    canvasDiscard: () => set({ canvas: { ...initialCanvas, clipboard: canvas().clipboard } }),

    canvasRevalidate: () => put({ issues: validateCanvas(canvas(), runnable(get())) }),
  };
};
