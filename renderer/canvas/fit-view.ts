import type { Edge, FitViewOptions, ReactFlowInstance } from '@xyflow/react';
import type { StepNode } from './graph-model.js';

/** How far out both canvases zoom, by hand or to fit a graph in view. */
export const minZoom = 0.05;

/** A zoom where a step's label can still be read (13 px at 0.6 is about 8 px). */
export const readableZoom = 0.6;

/** Above this many steps a canvas opens on the start of the graph, not all of it (the minimap shows the rest). */
export const bigGraph = 300;

/**
 * The whole graph, as a canvas app's "zoom to fit" shows it: however tall or wide, down to the
 * canvas's least zoom (with the floor of 0.6 this fit had, a column of six steps did not fit in a
 * run's canvas, so a run opened cut off, and so did the editor's fit command), but a graph that
 * fits at its natural size stays at it, not blown up to fill the view.
 */
const wholeGraph = { padding: 0.2, maxZoom: 1, minZoom } satisfies FitViewOptions<StepNode>;

/**
 * What a canvas opens on (and the editor shows after a layout): the whole graph, but for a big one
 * its first steps, no smaller than the readable zoom. Fitting a thousand steps into one view makes
 * them specks and puts every one in the DOM, where only what is on screen renders otherwise.
 */
export function fitFor(nodes: readonly StepNode[]): FitViewOptions<StepNode> & { minZoom: number } {
  if (nodes.length <= bigGraph) return wholeGraph;
  const first = [...nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y).slice(0, 24);
  return { ...wholeGraph, minZoom: readableZoom, nodes: first.map((n) => ({ id: n.id })) };
}

/** Opens the view on what fitFor says: the editor's opening, import and layout. */
export function fitOpening(flow: ReactFlowInstance<StepNode, Edge>, nodes: readonly StepNode[], duration?: number): Promise<void> {
  return fitThenStart(flow, fitFor(nodes), nodes, duration);
}

/** Fit View, as the user asks for it (both canvases' button, the editor's command): the whole graph, whatever its size. */
export function fitWhole(flow: ReactFlowInstance<StepNode, Edge>, duration?: number): Promise<void> {
  return fitThenStart(flow, wholeGraph, flow.getNodes(), duration);
}

/**
 * When the fit stopped at its least zoom (what it fits is wider than the view even then), the view
 * starts at the graph's first steps rather than its middle, as a page is read from its start.
 */
async function fitThenStart(
  flow: ReactFlowInstance<StepNode, Edge>,
  options: FitViewOptions<StepNode> & { minZoom: number },
  nodes: readonly StepNode[],
  duration?: number,
): Promise<void> {
  await flow.fitView({ ...options, ...(duration ? { duration } : {}) });
  if (nodes.length === 0 || flow.getZoom() > options.minZoom + 0.001) return;
  let left = Infinity;
  for (const n of nodes) left = Math.min(left, n.position.x);
  const { y, zoom } = flow.getViewport();
  await flow.setViewport({ x: 24 - left * zoom, y, zoom }, duration ? { duration } : undefined);
}
