import dagre from '@dagrejs/dagre';
import { nodeHeight, nodeWidth, stepOf, type StepNode } from './graph-model.js';
import { layeredLayout } from './layered-layout.js';
import { inReadingOrder } from './reading-order.js';

/** Above this many steps dagre takes seconds of main thread (tens of seconds at 1,000); the layered layout takes milliseconds. */
export const dagreLimit = 150;

/**
 * Lays the steps out left to right in dependency order (dagre, or for big graphs the layered
 * layout), returning nodes with new positions. Nodes not yet drawn count as `height` tall (a
 * run's nodes carry more lines than a draft's).
 */
export function autoLayout(nodes: readonly StepNode[], height = nodeHeight): StepNode[] {
  if (nodes.length > dagreLimit) return layeredLayout(nodes, height);
  const graph = new dagre.graphlib.Graph();
  // Room between rows for what a node grows by during a run (status, why it failed, its controls).
  graph.setGraph({ rankdir: 'LR', nodesep: 64, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const present = new Set(nodes.map(stepOf));
  for (const node of nodes) {
    graph.setNode(node.id, { width: node.measured?.width ?? nodeWidth, height: node.measured?.height ?? height });
  }
  for (const node of nodes) {
    for (const from of new Set(node.data.step.dependencies)) if (present.has(from)) graph.setEdge(String(from), node.id);
  }
  dagre.layout(graph);
  const laid = nodes.map((node) => {
    const placed = graph.node(node.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!placed) return node;
    return { ...node, position: { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) } };
  });
  return inReadingOrder(laid, (node) => node.measured?.height ?? height);
}
