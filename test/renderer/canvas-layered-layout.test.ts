// Big graphs are laid out by the layered layout, not dagre: dagre took 46 s of one main-thread
// task for a 1,000-step workflow as its run page opened. The layout must still read as dagre's
// does: every step right of the steps it depends on, no two nodes on top of each other.
import { describe, expect, it } from 'vitest';
import { autoLayout, dagreLimit } from '../../renderer/canvas/auto-layout.js';
import { fromWorkflow, nodeWidth, stepOf, type StepNode } from '../../renderer/canvas/graph-model.js';
import { layerGap } from '../../renderer/canvas/layered-layout.js';
import { runNodeHeight } from '../../renderer/canvas/run-nodes.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { layeredDag, toWorkflow } from '../../bench/lib/layered-dag.js';

function nodesOf(workflow: object): StepNode[] {
  return fromWorkflow(workflow as { workflow: WorkflowStep[] } & Record<string, unknown>).nodes;
}

function overlaps(a: StepNode, b: StepNode): boolean {
  return Math.abs(a.position.x - b.position.x) < nodeWidth && Math.abs(a.position.y - b.position.y) < runNodeHeight;
}

describe('laying out a big graph', () => {
  const nodes = nodesOf(toWorkflow(layeredDag({ layers: 20, width: 50, seed: 7 }), 'true'));
  const placed = autoLayout(nodes, runNodeHeight);
  const byStep = new Map(placed.map((node) => [stepOf(node), node]));

  it('uses the layered layout above the limit: columns a node width and a gap apart', () => {
    expect(nodes.length).toBeGreaterThan(dagreLimit);
    const columns = new Set(placed.map((node) => (node.position.x - 20) / (nodeWidth + layerGap)));
    expect([...columns].every((column) => Number.isInteger(column))).toBe(true);
    expect(columns.size).toBe(20);
  });

  it('puts every step right of each step it depends on, and no two nodes on top of each other', () => {
    for (const node of placed) {
      for (const dep of node.data.step.dependencies) expect(byStep.get(dep)!.position.x).toBeLessThan(node.position.x);
    }
    const sorted = [...placed].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (a.position.x === b.position.x) expect(overlaps(a, b)).toBe(false);
    }
    expect(new Set(placed.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(placed.length);
  });

  it('still places steps caught in a cycle (a draft may hold one), after the others', () => {
    const steps = Array.from({ length: dagreLimit + 10 }, (_, i) => ({ step: i + 1, platform: 'shell', inputs: { command: 'true' }, dependencies: i === 0 ? [] : [i] }));
    steps[0]!.dependencies = [steps.length];
    steps.push({ step: steps.length + 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] });
    const laid = autoLayout(nodesOf({ name: 'cycle', workflow: steps }));
    expect(laid.every((n) => Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
    expect(new Set(laid.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(laid.length);
  });
});

describe('laying out a small graph', () => {
  const shell = (step: number, dependencies: number[] = []) => ({ step, platform: 'shell', inputs: { command: 'true' }, dependencies });
  const rowOf = (laid: StepNode[], step: number) => laid.find((node) => stepOf(node) === step)!.position.y;

  it('puts the steps of a column in the order of their numbers, top to bottom, where that crosses no more edges', () => {
    // The Diamond example: dagre put Lint (3) above Test (2).
    const laid = autoLayout(nodesOf({ name: 'diamond', workflow: [shell(1), shell(2, [1]), shell(3, [1]), shell(4, [2, 3])] }));
    expect(rowOf(laid, 2)).toBeLessThan(rowOf(laid, 3));
    const wide = autoLayout(nodesOf({ name: 'fan', workflow: [shell(1), ...[2, 3, 4, 5, 6].map((step) => shell(step, [1])), shell(7, [2, 3, 4, 5, 6])] }));
    const column = [2, 3, 4, 5, 6].map((step) => rowOf(wide, step));
    expect(column).toEqual([...column].sort((a, b) => a - b));
  });

  it("keeps dagre's order where the steps' own would cross edges", () => {
    // 1 feeds 4 and 2 feeds 3: with 1 above 2, 3 above 4 would cross the two edges.
    const laid = autoLayout(nodesOf({ name: 'crossed', workflow: [shell(1), shell(2), shell(3, [2]), shell(4, [1])] }));
    expect(Math.sign(rowOf(laid, 1) - rowOf(laid, 2))).toBe(Math.sign(rowOf(laid, 4) - rowOf(laid, 3)));
  });
});
