import type { Edge, Node, XYPosition } from '@xyflow/react';
import { ancestorsOf, findCycle, type GraphNode } from '../../shared/graph.js';
import { platformInfo } from '../../shared/platforms.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { newDecisionStep, paletteKind } from './step-kind.js';

/**
 * The canvas document as plain data, and the pure edits on it. A node holds its step exactly as
 * the operation format writes it (unknown fields kept); a step's `dependencies` are the truth and
 * edges are derived from them, so what the canvas draws is what the engine runs.
 */

/** Node data: the step, plain and serializable. */
export interface StepNodeData extends Record<string, unknown> {
  step: WorkflowStep;
}
export type StepNode = Node<StepNodeData, 'step'>;
/** An edge into a step with a `when` carries the condition, drawn as its label (ConditionEdge). */
export interface DependencyEdgeData extends Record<string, unknown> {
  when?: string;
}
export type DependencyEdge = Edge<DependencyEdgeData>;

/** The edge type that draws a step's condition on the edges into it. */
export const conditionEdgeType = 'condition';

/** Everything of a workflow file except its steps (name, description, metadata, unknown fields). */
export type WorkflowMeta = Record<string, unknown> & { name: string };

export interface CanvasDoc {
  meta: WorkflowMeta;
  nodes: StepNode[];
  edges: DependencyEdge[];
}

/** Where positions are kept in a workflow file. */
export interface CanvasLayout {
  positions: Record<string, XYPosition>;
}

export const nodeWidth = 220;
export const nodeHeight = 76;

export const nodeId = (step: number): string => String(step);
export const edgeId = (from: number, to: number): string => `${from}->${to}`;

export function stepOf(node: StepNode): number {
  return node.data.step.step;
}

export function graphOf(nodes: readonly StepNode[]): GraphNode[] {
  return nodes.map((n) => n.data.step);
}

/**
 * The steps `step` runs after, directly or not, read from the edges (they follow the dependencies
 * and stay the same object while nodes only move, so a drag does not redo this walk).
 */
export function ancestorsByEdges(edges: readonly DependencyEdge[], step: number): number[] {
  const dependencies = new Map<number, number[]>();
  for (const edge of edges) {
    const [from, to] = [Number(edge.source), Number(edge.target)];
    if (!dependencies.has(from)) dependencies.set(from, []);
    const list = dependencies.get(to);
    if (list) list.push(from);
    else dependencies.set(to, [from]);
  }
  const graph = [...dependencies].map(([n, deps]) => ({ step: n, dependencies: deps }));
  return [...ancestorsOf(graph, step)].sort((a, b) => a - b);
}

export function makeNode(step: WorkflowStep, position: XYPosition, selected = false): StepNode {
  return { id: nodeId(step.step), type: 'step', position, data: { step }, selected };
}

/** Edges for the nodes' dependencies, keeping the selection of edges that were already there. */
export function deriveEdges(nodes: readonly StepNode[], previous: readonly DependencyEdge[] = []): DependencyEdge[] {
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  const present = new Set(nodes.map(stepOf));
  const edges: DependencyEdge[] = [];
  for (const node of nodes) {
    const to = stepOf(node);
    const when = node.data.step.when?.trim() ? node.data.step.when : undefined;
    for (const from of new Set(node.data.step.dependencies)) {
      if (!present.has(from) || from === to) continue;
      const id = edgeId(from, to);
      const edge: DependencyEdge = { id, source: nodeId(from), target: nodeId(to), selected: selected.has(id) };
      edges.push(when === undefined ? edge : { ...edge, type: conditionEdgeType, data: { when }, ariaLabel: `Step ${from} to step ${to}, which runs only if ${when}` });
    }
  }
  return edges;
}

export function nextStepNumber(nodes: readonly StepNode[]): number {
  let max = 0;
  for (const node of nodes) max = Math.max(max, stepOf(node));
  return max + 1;
}

/**
 * A new step from the palette, ready to run: a platform's (a shell step gets a harmless command to
 * replace) or a decision kind's (step-kind.ts).
 */
export function newStep(platform: string, number: number): WorkflowStep {
  const decision = paletteKind(platform);
  if (decision) return newDecisionStep(decision.kind, number);
  const info = platformInfo(platform);
  const inputs: Record<string, unknown> =
    info?.primaryInput === 'prompt' ? { prompt: '' } : { command: `echo "step ${number}"` };
  return { step: number, label: `${info?.label ?? platform} ${number}`, platform, inputs, dependencies: [], continueOnFailure: false };
}

/**
 * Why a connection from → to (to depends on from) is refused, or null when it may be made.
 * The cycle check is the shared one the engine runs before every run.
 */
export function connectionProblem(nodes: readonly StepNode[], from: number, to: number): string | null {
  if (from === to) return `A step cannot depend on itself (step ${from}).`;
  const target = nodes.find((n) => stepOf(n) === to);
  if (!target || !nodes.some((n) => stepOf(n) === from)) return 'Both ends of a connection must be steps on the canvas.';
  if (target.data.step.dependencies.includes(from)) return `Step ${to} already depends on step ${from}.`;
  const withEdge = graphOf(nodes).map((g) => (g.step === to ? { ...g, dependencies: [...g.dependencies, from] } : g));
  const cycle = findCycle(withEdge);
  if (cycle) return `Step ${to} cannot depend on step ${from}: that would close a cycle (${cycle.join(' → ')}).`;
  return null;
}

export function withDependency(nodes: readonly StepNode[], from: number, to: number): StepNode[] {
  return nodes.map((n) =>
    stepOf(n) === to ? { ...n, data: { step: { ...n.data.step, dependencies: [...n.data.step.dependencies, from] } } } : n,
  );
}

/** Removes the steps and the dependencies named, and every dependency on a removed step. */
export function withoutParts(nodes: readonly StepNode[], steps: ReadonlySet<number>, edges: ReadonlySet<string>): StepNode[] {
  return nodes
    .filter((n) => !steps.has(stepOf(n)))
    .map((n) => {
      const to = stepOf(n);
      const kept = n.data.step.dependencies.filter((from) => !steps.has(from) && !edges.has(edgeId(from, to)));
      if (kept.length === n.data.step.dependencies.length) return n;
      // A race is among the step's dependencies: a member whose edge goes leaves the race with it.
      const race = n.data.step.race?.filter((member) => kept.includes(member));
      return { ...n, data: { step: { ...n.data.step, dependencies: kept, ...(race ? { race } : {}) } } };
    });
}

/** What copy keeps: the steps with their positions. */
export interface ClipboardContent {
  steps: { step: WorkflowStep; position: XYPosition }[];
}

export function copyOf(nodes: readonly StepNode[]): ClipboardContent {
  return { steps: nodes.map((n) => ({ step: structuredClone(n.data.step), position: { ...n.position } })) };
}

/** `{{steps.N.output}}` and `{{steps.N.json…}}` in a template: the step number is what a paste changes. */
const referencePattern = /(\{\{\s*steps\.)(\d+)(\.(?:output|json)\b)/g;
/** `steps.N` in a condition, outside its string literals (which are matched first and kept). */
const conditionPattern = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\bsteps\.(\d+)\b/g;

function renumberCondition(when: string, numbers: ReadonlyMap<number, number>): string {
  return when.replace(conditionPattern, (match, literal: string | undefined, step: string | undefined) => {
    if (literal !== undefined) return match;
    const renumbered = numbers.get(Number(step));
    return renumbered === undefined ? match : `steps.${renumbered}`;
  });
}

function renumberReferences(value: unknown, numbers: ReadonlyMap<number, number>): unknown {
  if (typeof value === 'string') {
    return value.replace(referencePattern, (match, head: string, step: string, tail: string) => {
      const renumbered = numbers.get(Number(step));
      return renumbered === undefined ? match : `${head}${renumbered}${tail}`;
    });
  }
  if (Array.isArray(value)) return value.map((item) => renumberReferences(item, numbers));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renumberReferences(item, numbers)]));
  }
  return value;
}

/**
 * Pasted steps get new numbers after the highest on the canvas, in their old order. Dependencies
 * and race members inside the pasted set come along renumbered (and so do the references to them:
 * `{{steps.N.output}}`, `{{steps.N.json…}}` in inputs and a fan-out's list, `steps.N` in a
 * condition); dependencies on steps outside it are dropped. The pasted nodes alone are selected.
 */
export function pasted(nodes: readonly StepNode[], clip: ClipboardContent, offset: XYPosition): { nodes: StepNode[]; added: number[] } {
  const first = nextStepNumber(nodes);
  const ordered = [...clip.steps].sort((a, b) => a.step.step - b.step.step);
  const numbers = new Map(ordered.map((entry, i) => [entry.step.step, first + i]));
  const added = ordered.map(({ step, position }) => {
    const number = numbers.get(step.step)!;
    const copy: WorkflowStep = {
      ...structuredClone(step),
      step: number,
      dependencies: step.dependencies.filter((d) => numbers.has(d)).map((d) => numbers.get(d)!),
      ...(step.race ? { race: step.race.filter((d) => numbers.has(d)).map((d) => numbers.get(d)!) } : {}),
      ...(step.when !== undefined ? { when: renumberCondition(step.when, numbers) } : {}),
      ...(typeof step.forEach === 'string' ? { forEach: renumberReferences(step.forEach, numbers) as string } : {}),
      inputs: renumberReferences(step.inputs, numbers) as Record<string, unknown>,
    };
    return makeNode(copy, { x: position.x + offset.x, y: position.y + offset.y }, true);
  });
  return { nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added], added: added.map(stepOf) };
}

export function layoutOf(meta: WorkflowMeta): CanvasLayout | null {
  const metadata = meta.metadata as Record<string, unknown> | undefined;
  const layout = metadata?.layout as Partial<CanvasLayout> | undefined;
  if (!layout || typeof layout.positions !== 'object' || layout.positions === null) return null;
  return { positions: layout.positions };
}

/** The canvas as a workflow file in the operation format, positions in `metadata.layout`. */
export function toWorkflow(doc: Pick<CanvasDoc, 'meta' | 'nodes'>): Record<string, unknown> {
  const positions: Record<string, XYPosition> = {};
  for (const node of doc.nodes) positions[String(stepOf(node))] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  const metadata = { ...((doc.meta.metadata as Record<string, unknown> | undefined) ?? {}), layout: { positions } };
  return { ...doc.meta, workflow: doc.nodes.map((n) => n.data.step), metadata };
}

/** Splits a workflow into its meta and nodes; steps without a stored position are laid out in a grid (auto-layout fixes them). */
export function fromWorkflow(workflow: { workflow: WorkflowStep[] } & Record<string, unknown>): { meta: WorkflowMeta; nodes: StepNode[]; positioned: boolean } {
  const { workflow: steps, ...rest } = workflow;
  const meta = { ...rest, name: typeof rest.name === 'string' ? rest.name : 'Untitled workflow' } as WorkflowMeta;
  const layout = layoutOf(meta);
  let positioned = true;
  const nodes = steps.map((step, index) => {
    const stored = layout?.positions[String(step.step)];
    if (stored && Number.isFinite(stored.x) && Number.isFinite(stored.y)) return makeNode(step, { x: stored.x, y: stored.y });
    positioned = false;
    return makeNode(step, { x: (index % 6) * (nodeWidth + 60), y: Math.floor(index / 6) * (nodeHeight + 60) });
  });
  return { meta, nodes, positioned };
}
