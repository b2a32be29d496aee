import type { NodeTypes } from '@xyflow/react';
import { StepNodeView } from './StepNodeView.js';

/** Defined once, outside any component, so xyflow never sees a new object and remounts nodes. */
export const nodeTypes: NodeTypes = { step: StepNodeView };
