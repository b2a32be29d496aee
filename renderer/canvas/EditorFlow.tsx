import { Background, Controls, MiniMap, ReactFlow, type Edge, type NodeMouseHandler, type OnConnect, type EdgeMouseHandler, type FitViewOptions } from '@xyflow/react';
import { memo, useMemo, type MouseEvent as ReactMouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePhoton } from '../lib/app-context.js';
import type { PhotonState } from '../store/store.js';
import { bigGraph } from './fit-view.js';
import type { StepNode } from './graph-model.js';
import { nodeTypes } from './node-types.js';
import { useThrottled } from '../lib/use-throttled.js';
import { runningEdgesIntervalMs, runningStepsKey, withRunningEdges } from './run-nodes.js';

const selectFlow = (s: PhotonState) => ({
  nodes: s.canvas.nodes,
  edges: s.canvas.edges,
  onNodesChange: s.canvasNodesChange,
  onEdgesChange: s.canvasEdgesChange,
});

const proOptions = { hideAttribution: true };

interface EditorFlowProps {
  /** The run whose running steps' incoming edges move, or null. */
  runId: string | null;
  initialFit: FitViewOptions<StepNode>;
  onConnect: OnConnect;
  onNodeContextMenu: NodeMouseHandler<StepNode>;
  onEdgeContextMenu: EdgeMouseHandler;
  onPaneContextMenu: (event: ReactMouseEvent | MouseEvent) => void;
}

/**
 * The editable graph. Alone in subscribing to the nodes, so a drag re-renders this and xyflow, not
 * the toolbar, palette and panels around it; every prop it passes on is stable between moves, so
 * xyflow's memoised renderers re-render only the nodes and edges that moved.
 */
function EditorFlowInner({ runId, initialFit, onConnect, onNodeContextMenu, onEdgeContextMenu, onPaneContextMenu }: EditorFlowProps) {
  const { nodes, edges, onNodesChange, onEdgesChange } = usePhoton(useShallow(selectFlow));
  const big = nodes.length > bigGraph;
  // Throttled as on the run's page (RunCanvas): each change rebuilds xyflow's lookup of every edge.
  const running = useThrottled(
    usePhoton((s) => (runId ? runningStepsKey(s.runs.byId[runId]?.steps ?? []) : '')),
    runningEdgesIntervalMs,
  );
  const shownEdges = useMemo(() => withRunningEdges(edges, running), [edges, running]);

  return (
    <ReactFlow<StepNode, Edge>
      nodes={nodes}
      edges={shownEdges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onNodeContextMenu={onNodeContextMenu}
      onEdgeContextMenu={onEdgeContextMenu}
      onPaneContextMenu={onPaneContextMenu}
      deleteKeyCode={null}
      multiSelectionKeyCode="Shift"
      selectionKeyCode="Shift"
      fitView
      fitViewOptions={initialFit}
      minZoom={0.05}
      onlyRenderVisibleElements={big}
      proOptions={proOptions}
    >
      <Background />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable ariaLabel="Minimap" />
    </ReactFlow>
  );
}

export const EditorFlow = memo(EditorFlowInner);
