import type { Edge, ReactFlowInstance } from '@xyflow/react';
import type { StepNode } from './graph-model.js';

/**
 * A small workflow is shown at its natural size, not blown up to fill the view; a wide one no
 * smaller than a zoom where a step's label can still be read (13 px at 0.6 is about 8 px), centred,
 * with the minimap for the rest.
 */
export const readableZoom = 0.6;
const fitOptions = { padding: 0.2, maxZoom: 1, minZoom: readableZoom };

/** Above this many steps a canvas opens on the start of the graph, not all of it (the minimap shows the rest). */
export const bigGraph = 300;

/**
 * Fitting a thousand steps into one view makes them specks and puts every one in the DOM; a big
 * graph opens on its first steps at a readable zoom instead, and only what is on screen renders.
 */
export function fitFor(nodes: readonly StepNode[]) {
  if (nodes.length <= bigGraph) return fitOptions;
  const first = [...nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y).slice(0, 24);
  return { ...fitOptions, nodes: first.map((n) => ({ id: n.id })) };
}

/**
 * Fits the graph; when the fit stopped at the readable zoom (the graph is wider than the view at
 * that size), the view starts at the graph's first steps rather than its middle, as a page is
 * read from its start.
 */
export async function fitReadable(flow: ReactFlowInstance<StepNode, Edge>, nodes: readonly StepNode[], duration?: number): Promise<void> {
  await flow.fitView({ ...fitFor(nodes), ...(duration ? { duration } : {}) });
  if (nodes.length === 0 || nodes.length > bigGraph || flow.getZoom() > readableZoom + 0.001) return;
  const left = Math.min(...nodes.map((n) => n.position.x));
  const { y, zoom } = flow.getViewport();
  await flow.setViewport({ x: 24 - left * zoom, y, zoom }, duration ? { duration } : undefined);
}
