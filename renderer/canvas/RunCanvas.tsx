import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, applyNodeChanges, type Edge, type NodeMouseHandler, type OnNodesChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState } from 'react';
import type { RunDetail } from '../../shared/runs.js';
import { CanvasContext, type CanvasViewContext } from './canvas-context.js';
import { bigGraph, fitFor } from './fit-view.js';
import { deriveEdges, stepOf, type StepNode } from './graph-model.js';
import { nodeTypes } from './node-types.js';
import { useThrottled } from '../lib/use-throttled.js';
import { runNodes, runningEdgesIntervalMs, runningStepsKey, withRunningEdges } from './run-nodes.js';
import './canvas.css';

function RunGraph({ run, onOpenStep, onOpenDiff }: RunCanvasProps) {
  // The workflow a run ran never changes, so neither do its nodes; only their run state does.
  const [nodes, setNodes] = useState(() => runNodes(run.workflow));
  // Only the sizes xyflow measures come back (the minimap draws measured nodes); nothing else changes here.
  const onNodesChange: OnNodesChange<StepNode> = useCallback(
    (changes) => setNodes((current) => applyNodeChanges(changes.filter((c) => c.type === 'dimensions'), current)),
    [],
  );
  // Which edges move is redrawn twice a second at most: each change made xyflow rebuild its
  // lookup of every edge, at every event of a big run.
  const running = useThrottled(runningStepsKey(run.steps), runningEdgesIntervalMs);
  // Derived once per change of the nodes (their sizes), not again whenever the running steps change.
  const allEdges = useMemo(() => deriveEdges(nodes), [nodes]);
  const edges = useMemo(() => withRunningEdges(allEdges, running), [allEdges, running]);
  const view: CanvasViewContext = useMemo(
    () => ({ runId: run.runId, readOnly: true, openOutput: onOpenStep, ...(onOpenDiff ? { openDiff: onOpenDiff } : {}) }),
    [run.runId, onOpenStep, onOpenDiff],
  );
  const [initialFit] = useState(() => fitFor(nodes));

  // The node's own buttons (Output, Terminal) act for themselves; a click elsewhere on it opens its output.
  const onNodeClick: NodeMouseHandler<StepNode> = useCallback(
    (event, node) => {
      if ((event.target as HTMLElement).closest('button')) return;
      onOpenStep(stepOf(node));
    },
    [onOpenStep],
  );

  return (
    <CanvasContext.Provider value={view}>
      <div className="canvas-flow run-canvas-flow" data-testid="run-canvas">
        <ReactFlow<StepNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onNodeClick={onNodeClick}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          fitView
          fitViewOptions={initialFit}
          minZoom={0.05}
          onlyRenderVisibleElements={nodes.length > bigGraph}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable ariaLabel="Minimap" />
        </ReactFlow>
      </div>
    </CanvasContext.Provider>
  );
}

interface RunCanvasProps {
  run: RunDetail;
  /** Shows a step's output (and from there its terminal), as a click on its node asks. */
  onOpenStep(step: number): void;
  /** Shows a step's diff, for a run with workspaces. */
  onOpenDiff?(step: number): void;
}

/**
 * A run's workflow as the run left it, read-only: each node with its final (or current) status,
 * attempts and duration; edges into running steps move while the run is live.
 */
export function RunCanvas(props: RunCanvasProps) {
  return (
    <section className="run-canvas" aria-label="Run canvas">
      <p className="run-canvas-hint">Click a step to see its output; its Terminal button opens the step’s terminal.</p>
      <ReactFlowProvider>
        <RunGraph {...props} />
      </ReactFlowProvider>
    </section>
  );
}
