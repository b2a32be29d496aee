import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  dependentsOf,
  descendantsOf,
  findCycle,
  formatCycle,
  remainingPathLengths,
  topologicalOrder,
  type GraphNode,
} from '../../shared/graph.js';

const node = (step: number, ...dependencies: number[]): GraphNode => ({ step, dependencies });

// 1 -> {2, 3} -> 4, and 5 alone.
const diamond = [node(1), node(2, 1), node(3, 1), node(4, 2, 3), node(5)];

describe('findCycle', () => {
  it('finds none in a DAG', () => {
    expect(findCycle(diamond)).toBeUndefined();
    expect(findCycle([])).toBeUndefined();
  });

  it('gives the cycle in execution order, starting and ending at its smallest step', () => {
    // 5 depends on 2, 3 on 5, 2 on 3: 2 -> 5 -> 3 -> 2.
    const graph = [node(1), node(2, 1, 3), node(3, 5), node(4, 3), node(5, 2)];
    expect(findCycle(graph)).toEqual([2, 5, 3, 2]);
    expect(formatCycle(findCycle(graph)!)).toBe('cycle: 2 -> 5 -> 3 -> 2');
  });

  it('gives the same answer whatever the order of the nodes', () => {
    const graph = [node(5, 2), node(4, 3), node(3, 5), node(2, 3), node(1, 5)];
    expect(findCycle(graph)).toEqual([2, 5, 3, 2]);
    expect(findCycle([...graph].reverse())).toEqual([2, 5, 3, 2]);
  });

  it('reports a self dependency and a two-step cycle', () => {
    expect(findCycle([node(1), node(2, 2)])).toEqual([2, 2]);
    expect(findCycle([node(7, 9), node(9, 7)])).toEqual([7, 9, 7]);
  });

  it('ignores dependencies on missing steps', () => {
    expect(findCycle([node(1, 42), node(2, 1)])).toBeUndefined();
  });
});

describe('findCycle on long graphs', () => {
  const steps = 10_000;

  it('finds a 10,000-step cycle without overflowing the stack, and says it briefly', () => {
    const graph = Array.from({ length: steps }, (_, i) => node(i + 1, i === 0 ? steps : i));
    const cycle = findCycle(graph)!;
    expect(cycle).toHaveLength(steps + 1);
    expect(cycle.slice(0, 3)).toEqual([1, 2, 3]);
    expect(formatCycle(cycle)).toBe(`cycle of ${steps} steps: 1 -> 2 -> 3 -> 4 -> 5 -> 6 -> 7 -> 8 -> 9 -> 10 -> … (9988 more) … -> 9999 -> 10000 -> 1`);
  });

  it('finds none in a 10,000-step chain numbered in reverse', () => {
    const graph = Array.from({ length: steps }, (_, i) => node(steps - i, ...(i === 0 ? [] : [steps - i + 1])));
    expect(findCycle(graph)).toBeUndefined();
  });
});

describe('ancestors and descendants', () => {
  it('are transitive', () => {
    expect([...ancestorsOf(diamond, 4)].sort()).toEqual([1, 2, 3]);
    expect([...ancestorsOf(diamond, 2)]).toEqual([1]);
    expect(ancestorsOf(diamond, 1).size).toBe(0);
    expect([...descendantsOf(diamond, 1)].sort()).toEqual([2, 3, 4]);
    expect([...descendantsOf(diamond, 3)]).toEqual([4]);
    expect(descendantsOf(diamond, 5).size).toBe(0);
  });

  it('dependents reverse the dependencies, once per edge, only for existing steps', () => {
    const dependents = dependentsOf([node(1), node(2, 1, 1), node(3, 1, 99)]);
    expect(dependents.get(1)).toEqual([2, 3]);
    expect(dependents.has(99)).toBe(false);
  });
});

describe('topologicalOrder', () => {
  it('puts every step after its dependencies', () => {
    const graph = [node(4, 2, 3), node(3, 1), node(2, 1), node(1), node(6, 4, 5), node(5)];
    const order = topologicalOrder(graph);
    expect([...order].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const { step, dependencies } of graph) {
      for (const dep of dependencies) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(step));
    }
  });
});

describe('remainingPathLengths', () => {
  it('counts the steps on the longest path to the end, the step itself included', () => {
    expect(Object.fromEntries(remainingPathLengths(diamond))).toEqual({ 1: 3, 2: 2, 3: 2, 4: 1, 5: 1 });
  });

  it('follows the longest branch, not the first', () => {
    // 1 -> 2 -> 3 -> 4 and 1 -> 5.
    const graph = [node(1), node(5, 1), node(2, 1), node(3, 2), node(4, 3)];
    expect(Object.fromEntries(remainingPathLengths(graph))).toEqual({ 1: 4, 2: 3, 3: 2, 4: 1, 5: 1 });
  });
});
