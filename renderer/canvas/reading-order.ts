import { nodeWidth, stepOf, type StepNode } from './graph-model.js';

/** The gap dagre leaves between two nodes of a column (auto-layout.ts's nodesep). */
const rowGap = 64;

interface Placed {
  node: StepNode;
  step: number;
  /** The column: dagre centres a rank's nodes on one line, whatever their widths. */
  x: number;
  top: number;
  height: number;
}

/**
 * Puts the steps of each column of a dagre layout in the order of their numbers, top to bottom,
 * wherever that crosses no more edges than dagre's order did. dagre orders a column only to cross
 * fewer edges and leaves ties as its search ended: the Diamond example opened with step 3 above
 * step 2, though either order crosses nothing, and a reader looks for step 2 first.
 * Columns are taken left to right, each against the steps it connects to on either side.
 */
export function inReadingOrder(nodes: readonly StepNode[], heightOf: (node: StepNode) => number): StepNode[] {
  const placed = nodes.map(
    (node): Placed => ({ node, step: stepOf(node), x: Math.round(node.position.x + (node.measured?.width ?? nodeWidth) / 2), top: node.position.y, height: heightOf(node) }),
  );
  const byStep = new Map(placed.map((p) => [p.step, p]));
  const edges: [Placed, Placed][] = [];
  for (const to of placed) {
    for (const dep of new Set(to.node.data.step.dependencies)) {
      const from = byStep.get(dep);
      if (from && from !== to) edges.push([from, to]);
    }
  }
  const columns = new Map<number, Placed[]>();
  for (const p of placed) columns.set(p.x, [...(columns.get(p.x) ?? []), p]);

  for (const x of [...columns.keys()].sort((a, b) => a - b)) {
    const column = columns.get(x)!.sort((a, b) => a.top - b.top);
    if (column.length < 2 || column.every((p, i) => i === 0 || column[i - 1]!.step < p.step)) continue;
    const touching = edges.filter(([from, to]) => from.x === x || to.x === x);
    const before = crossings(touching);
    const tops = column.map((p) => p.top);
    const heights = column.map((p) => p.height);
    const numbered = [...column].sort((a, b) => a.step - b.step);
    // Each step takes a slot's centre in turn, pushed down where a taller one above it would overlap.
    const centres = column.map((p) => p.top + p.height / 2);
    let bottom = -Infinity;
    numbered.forEach((p, i) => {
      p.top = Math.max(centres[i]! - p.height / 2, bottom + rowGap);
      bottom = p.top + p.height;
    });
    if (crossings(touching) > before) {
      column.forEach((p, i) => {
        p.top = tops[i]!;
        p.height = heights[i]!;
      });
    }
  }
  return placed.map((p) => (p.top === p.node.position.y ? p.node : { ...p.node, position: { x: p.node.position.x, y: Math.round(p.top) } }));
}

/** How many pairs of edges cross between the same two columns (their ends in opposite orders). */
function crossings(edges: readonly [Placed, Placed][]): number {
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    const [a, b] = edges[i]!;
    for (let j = i + 1; j < edges.length; j++) {
      const [c, d] = edges[j]!;
      if (a.x !== c.x || b.x !== d.x || a === c || b === d) continue;
      if ((a.top - c.top) * (b.top - d.top) < 0) count++;
    }
  }
  return count;
}
