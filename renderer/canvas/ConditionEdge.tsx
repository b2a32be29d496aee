import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { conditionLabel } from './decision-words.js';
import type { DependencyEdge } from './graph-model.js';

/**
 * An edge into a step that has a `when`: drawn as any dependency, with the condition as its label
 * (cut to fit; the whole expression on hover, and in the edge's accessible name for the keyboard).
 * Every edge into that step carries it, since the condition is the step's, not one edge's.
 */
function ConditionEdgeInner({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, data }: EdgeProps<DependencyEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const when = data?.when ?? '';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      <EdgeLabelRenderer>
        <div
          className="condition-label nodrag nopan"
          data-edge={id}
          title={`Runs only if ${when}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {conditionLabel(when)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ConditionEdge = memo(ConditionEdgeInner);
