import type { RunDetail, StepState } from '../../shared/runs.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { autoLayout } from './auto-layout.js';
import { fromWorkflow, nodeHeight, type StepNode } from './graph-model.js';

/** A run's node carries two more lines than a draft's (its state, and its Output and Terminal buttons). */
export const runNodeHeight = nodeHeight + 44;

/** The steps running or retrying, as one string: a selector's result that changes only when the set does. */
export function runningStepsKey(steps: readonly Pick<StepState, 'step' | 'status'>[]): string {
  return steps
    .filter((s) => s.status === 'running' || s.status === 'retrying')
    .map((s) => s.step)
    .join(' ');
}

/** How often at most the canvases redraw which edges move: each change restyles the whole graph. */
export const runningEdgesIntervalMs = 500;

/** The run's own workflow as nodes: where the canvas left them (metadata.layout), or laid out by dagre. */
export function runNodes(workflow: RunDetail['workflow']): StepNode[] {
  const opened = fromWorkflow(workflow as { workflow: WorkflowStep[] } & Record<string, unknown>);
  return opened.positioned ? opened.nodes : autoLayout(opened.nodes, runNodeHeight);
}
