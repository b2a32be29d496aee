import { Background, ReactFlow, type Edge, type NodeMouseHandler, type OnConnect, type EdgeMouseHandler, type FitViewOptions } from '@xyflow/react';
import { memo, useId, type MouseEvent as ReactMouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePhoton } from '../lib/app-context.js';
import { countRender } from '../lib/render-count.js';
import type { PhotonState } from '../store/store.js';
import { CanvasControls } from './CanvasControls.js';
import { bigGraph, minZoom } from './fit-view.js';
import type { StepNode } from './graph-model.js';
import { edgeTypes, nodeTypes } from './node-types.js';
import { RunningEdges } from './RunningEdges.js';
import { GraphMiniMap } from './GraphMiniMap.js';

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
  countRender('editor-flow');
  const { nodes, edges, onNodesChange, onEdgesChange } = usePhoton(useShallow(selectFlow));
  const big = nodes.length > bigGraph;
  const scope = useId();

  return (
    <ReactFlow<StepNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
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
      minZoom={minZoom}
      onlyRenderVisibleElements={big}
      proOptions={proOptions}
      data-running-edges={scope}
    >
      <RunningEdges runId={runId} scope={scope} />
      <Background />
      <CanvasControls />
      <GraphMiniMap nodes={nodes} />
    </ReactFlow>
  );
}

export const EditorFlow = memo(EditorFlowInner);
