import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ConditionEdge } from './ConditionEdge.js';
import { conditionEdgeType } from './graph-model.js';
import { StepNodeView } from './StepNodeView.js';

/** Defined once, outside any component, so xyflow never sees a new object and remounts nodes. */
export const nodeTypes: NodeTypes = { step: StepNodeView };

/** The same for edges: a dependency into a step with a condition draws it as its label. */
export const edgeTypes: EdgeTypes = { [conditionEdgeType]: ConditionEdge };
