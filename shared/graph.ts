/**
 * Pure graph code shared by the engine and the canvas, so the two never disagree about what a
 * workflow means. Nodes are step numbers; an edge runs from a dependency to its dependent.
 */

export interface GraphNode {
  step: number;
  dependencies: readonly number[];
}

export type Adjacency = ReadonlyMap<number, readonly number[]>;

/** Dependents of each step (the reverse of `dependencies`), only for steps that exist. */
export function dependentsOf(nodes: readonly GraphNode[]): Map<number, number[]> {
  const dependents = new Map<number, number[]>(nodes.map((n) => [n.step, []]));
  for (const node of nodes) {
    for (const dep of new Set(node.dependencies)) dependents.get(dep)?.push(node.step);
  }
  return dependents;
}

/**
 * The first cycle found, as steps in order with the first repeated at the end (2, 5, 3, 2),
 * or undefined. The search visits steps in ascending order so the answer is stable.
 */
export function findCycle(nodes: readonly GraphNode[]): number[] | undefined {
  const deps = new Map(nodes.map((n) => [n.step, [...new Set(n.dependencies)].sort((a, b) => a - b)]));
  const state = new Map<number, 'visiting' | 'done'>();
  // Depth-first along dependency edges with its own stack (a chain of thousands of steps would
  // overflow a recursive search): `path` holds the steps being visited, `next` where each resumes.
  const path: number[] = [];
  const next: number[] = [];
  const positionInPath = new Map<number, number>();

  for (const start of [...deps.keys()].sort((a, b) => a - b)) {
    if (state.has(start)) continue;
    state.set(start, 'visiting');
    positionInPath.set(start, 0);
    path.push(start);
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const step = path[top]!;
      const stepDeps = deps.get(step)!;
      const index = next[top]!;
      if (index === stepDeps.length) {
        path.pop();
        next.pop();
        positionInPath.delete(step);
        state.set(step, 'done');
        continue;
      }
      next[top] = index + 1;
      const dep = stepDeps[index]!;
      if (!deps.has(dep)) continue;
      const seen = state.get(dep);
      // Reported in execution order (dependency before dependent), which is how a user reads "2 -> 5 -> 3 -> 2".
      if (seen === 'visiting') return rotateToSmallest(path.slice(positionInPath.get(dep)).reverse());
      if (seen === undefined) {
        state.set(dep, 'visiting');
        positionInPath.set(dep, path.length);
        path.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

function rotateToSmallest(loop: number[]): number[] {
  // Not Math.min(...loop): spreading ten thousand arguments can overflow the stack too.
  const start = loop.indexOf(loop.reduce((a, b) => Math.min(a, b)));
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]!];
}

/** The cycle as a user reads it; a long one shows its start and end around the number of steps left out. */
export function formatCycle(cycle: readonly number[]): string {
  const steps = cycle.length - 1;
  if (cycle.length <= 21) return `cycle: ${cycle.join(' -> ')}`;
  return `cycle of ${steps} steps: ${cycle.slice(0, 10).join(' -> ')} -> … (${cycle.length - 13} more) … -> ${cycle.slice(-3).join(' -> ')}`;
}

/** Every step that `step` transitively depends on. */
export function ancestorsOf(nodes: readonly GraphNode[], step: number): Set<number> {
  const deps = new Map(nodes.map((n) => [n.step, n.dependencies]));
  const seen = new Set<number>();
  const stack = [...(deps.get(step) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next) || !deps.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

/** Every step that transitively depends on `step`. */
export function descendantsOf(nodes: readonly GraphNode[], step: number): Set<number> {
  const dependents = dependentsOf(nodes);
  const seen = new Set<number>();
  const stack = [...(dependents.get(step) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(dependents.get(next) ?? []));
  }
  return seen;
}

/** Steps in an order where each comes after all its dependencies. Assumes no cycle. */
export function topologicalOrder(nodes: readonly GraphNode[]): number[] {
  const dependents = dependentsOf(nodes);
  const remaining = new Map(nodes.map((n) => [n.step, new Set(n.dependencies).size]));
  const ready = nodes.filter((n) => remaining.get(n.step) === 0).map((n) => n.step);
  const order: number[] = [];
  while (ready.length > 0) {
    const step = ready.shift()!;
    order.push(step);
    for (const dependent of dependents.get(step) ?? []) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}

/**
 * For each step, the number of steps on the longest path from it to the end of the graph
 * (itself included). The scheduler starts the step with the most work behind it first.
 */
export function remainingPathLengths(nodes: readonly GraphNode[]): Map<number, number> {
  const dependents = dependentsOf(nodes);
  const lengths = new Map<number, number>();
  for (const step of topologicalOrder(nodes).reverse()) {
    let longest = 0;
    for (const dependent of dependents.get(step) ?? []) longest = Math.max(longest, lengths.get(dependent) ?? 0);
    lengths.set(step, longest + 1);
  }
  return lengths;
}
