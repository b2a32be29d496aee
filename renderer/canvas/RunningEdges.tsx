import { usePhoton } from '../lib/app-context.js';
import { useThrottled } from '../lib/use-throttled.js';
import { runningEdgesIntervalMs, runningStepsKey } from './run-nodes.js';

/**
 * The CSS that moves the edges into the running steps of one canvas (`scope` is its container's
 * data-running-edges). Edge ids are "from->to" (graph-model's edgeId), so an id ending in "->N"
 * is an edge into step N. The dash and its motion are xyflow's own for animated edges.
 */
export function runningEdgesCss(scope: string, runningKey: string): string {
  if (runningKey === '') return '';
  const into = runningKey.split(' ').map((step) => `[data-id$="->${step}"]`);
  return `[data-running-edges="${scope}"] .react-flow__edge:is(${into.join(',')}) path:not(.react-flow__edge-interaction) { stroke-dasharray: 5; animation: dashdraw 0.5s linear infinite; }`;
}

/**
 * Moves the edges into `runId`'s running steps on the canvas whose container carries
 * data-running-edges={scope}, by a style sheet instead of the edges' `animated` flag: a changed
 * edges array makes xyflow re-index every edge (2,500 on a 1,000-step workflow, tens of
 * milliseconds each time, the largest cost on both canvases during a big run), while a changed
 * style sheet only restyles. Alone in following the run's steps, so an event renders this and
 * not the graph.
 */
export function RunningEdges({ runId, scope }: { runId: string | null; scope: string }) {
  const running = useThrottled(
    usePhoton((s) => (runId ? runningStepsKey(s.runs.byId[runId]?.steps ?? []) : '')),
    runningEdgesIntervalMs,
  );
  const css = runningEdgesCss(scope, running);
  return css ? <style>{css}</style> : null;
}
