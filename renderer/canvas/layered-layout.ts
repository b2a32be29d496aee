import { nodeWidth, stepOf, type StepNode } from './graph-model.js';

/** The gaps dagre is given too (auto-layout.ts), so both layouts look alike. */
export const layerGap = 80;
export const rowGap = 64;
const margin = 20;

/**
 * A left-to-right layout in time linear in steps and dependencies, for graphs too big for dagre:
 * dagre's crossing minimisation took 46 s of one uninterrupted main-thread task for a 1,000-step
 * layered workflow on a loaded 2-core machine, freezing the run page as it opened. Each step goes
 * in the column after its deepest dependency; within a column, steps sit in the order of their
 * dependencies' average row (one barycentre pass), so edges mostly run straight ahead.
 */
export function layeredLayout(nodes: readonly StepNode[], height: number): StepNode[] {
  const present = new Map(nodes.map((node) => [stepOf(node), node]));
  const dependents = new Map<number, number[]>();
  const waiting = new Map<number, number>();
  for (const node of nodes) {
    const deps = [...new Set(node.data.step.dependencies)].filter((d) => present.has(d) && d !== stepOf(node));
    waiting.set(stepOf(node), deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), stepOf(node)]);
  }

  // Columns by longest path from the sources (Kahn's order); a step left in a cycle (a draft may
  // hold one for a moment) goes after everything placed.
  const column = new Map<number, number>();
  const queue = nodes.map(stepOf).filter((step) => waiting.get(step) === 0);
  for (const step of queue) column.set(step, 0);
  for (let i = 0; i < queue.length; i++) {
    const step = queue[i]!;
    for (const next of dependents.get(step) ?? []) {
      column.set(next, Math.max(column.get(next) ?? 0, column.get(step)! + 1));
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const last = Math.max(-1, ...column.values());
  for (const node of nodes) if (!column.has(stepOf(node))) column.set(stepOf(node), last + 1);

  const columns: number[][] = [];
  for (const [step, at] of column) (columns[at] ??= []).push(step);
  const row = new Map<number, number>();
  for (const steps of columns) {
    if (!steps) continue;
    const weight = (step: number): number => {
      const rows = present.get(step)!.data.step.dependencies.map((d) => row.get(d)).filter((r): r is number => r !== undefined);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const keyed = steps.map((step) => ({ step, weight: weight(step) }));
    keyed.sort((a, b) => (a.weight === b.weight ? a.step - b.step : a.weight < b.weight ? -1 : 1));
    keyed.forEach(({ step }, index) => row.set(step, index));
  }

  return nodes.map((node) => {
    const step = stepOf(node);
    const nodeHeight = node.measured?.height ?? height;
    return {
      ...node,
      position: { x: margin + column.get(step)! * ((node.measured?.width ?? nodeWidth) + layerGap), y: margin + row.get(step)! * (nodeHeight + rowGap) },
    };
  });
}
