import { Background, ReactFlow, ReactFlowProvider, applyNodeChanges, type Edge, type NodeMouseHandler, type OnNodesChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useId, useMemo, useState } from 'react';
import type { RunDetail } from '../../shared/runs.js';
import { CanvasContext, type CanvasViewContext } from './canvas-context.js';
import { CanvasControls } from './CanvasControls.js';
import { bigGraph, fitFor, minZoom } from './fit-view.js';
import { deriveEdges, stepOf, type StepNode } from './graph-model.js';
import { edgeTypes, nodeTypes } from './node-types.js';
import { countRender } from '../lib/render-count.js';
import { runNodes } from './run-nodes.js';
import { GraphMiniMap } from './GraphMiniMap.js';
import { RunningEdges } from './RunningEdges.js';
import './canvas.css';

function RunGraph({ runId, workflow, onOpenStep, onOpenDiff }: RunCanvasProps) {
  countRender('run-graph');
  // The workflow a run ran never changes, so neither do its nodes; only their run state does.
  const [nodes, setNodes] = useState(() => runNodes(workflow));
  // Nor its edges: derived once, not again at each measurement of a node (a new edges array
  // makes xyflow re-index every edge).
  const [edges] = useState(() => deriveEdges(nodes));
  // Only the sizes xyflow measures come back (the minimap draws measured nodes); nothing else changes here.
  const onNodesChange: OnNodesChange<StepNode> = useCallback(
    (changes) => setNodes((current) => applyNodeChanges(changes.filter((c) => c.type === 'dimensions'), current)),
    [],
  );
  // Which edges move is RunningEdges' style sheet.
  const scope = useId();
  const view: CanvasViewContext = useMemo(
    () => ({ runId, readOnly: true, openOutput: onOpenStep, ...(onOpenDiff ? { openDiff: onOpenDiff } : {}) }),
    [runId, onOpenStep, onOpenDiff],
  );
  const [initialFit] = useState(() => fitFor(nodes));

  // The node's own buttons and links (Output, Terminal, a gate's answers, a child run) act for
  // themselves; a click elsewhere on it opens its output.
  const onNodeClick: NodeMouseHandler<StepNode> = useCallback(
    (event, node) => {
      if ((event.target as HTMLElement).closest('button, a, textarea')) return;
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
          edgeTypes={edgeTypes}
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
          minZoom={minZoom}
          onlyRenderVisibleElements={nodes.length > bigGraph}
          proOptions={proOptions}
          data-running-edges={scope}
        >
          <RunningEdges runId={runId} scope={scope} />
          <Background />
          <CanvasControls />
          <GraphMiniMap nodes={nodes} />
        </ReactFlow>
      </div>
    </CanvasContext.Provider>
  );
}

const proOptions = { hideAttribution: true };

interface RunCanvasProps {
  runId: string;
  /** The workflow as the run ran it. */
  workflow: RunDetail['workflow'];
  /** Shows a step's output (and from there its terminal), as a click on its node asks. */
  onOpenStep(step: number): void;
  /** Shows a step's diff, for a run with workspaces. */
  onOpenDiff?(step: number): void;
}

/**
 * A run's workflow as the run left it, read-only: each node with its final (or current) status,
 * attempts and duration; edges into running steps move while the run is live. Memoised, and given the run's id and workflow rather than the run: the run page renders at
 * every frame of a big run's events, and the graph (xyflow and 1,000 nodes) must not render with
 * it; each node follows its own step from the store.
 */
export const RunCanvas = memo(function RunCanvas(props: RunCanvasProps) {
  return (
    <section className="run-canvas" aria-label="Run canvas">
      <p className="run-canvas-hint">Click a step to see its output; its Terminal button opens the step’s terminal.</p>
      <ReactFlowProvider>
        <RunGraph {...props} />
      </ReactFlowProvider>
    </section>
  );
});
