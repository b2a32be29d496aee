import { MiniMap, getNodesBounds, useStore, type Rect } from '@xyflow/react';
import { useMemo } from 'react';
import type { StepNode } from './graph-model.js';

/**
 * Whether a rectangle of the graph lies wholly in the canvas's view, given xyflow's transform
 * ([x, y, zoom]) and the canvas's size in pixels.
 */
export function rectInView(rect: Rect, transform: readonly [number, number, number], width: number, height: number): boolean {
  const [x, y, zoom] = transform;
  const left = rect.x * zoom + x;
  const top = rect.y * zoom + y;
  return left >= 0 && top >= 0 && left + rect.width * zoom <= width && top + rect.height * zoom <= height;
}

/**
 * A canvas's minimap, shown only while part of the graph is out of view: with every step on
 * screen it shows nothing the canvas does not, and over a small graph it covered the corner of a
 * step (the fit keeps a small graph at its natural size, centred).
 */
export function GraphMiniMap({ nodes }: { nodes: readonly StepNode[] }) {
  // Recomputed only when the nodes change (a run's, only as xyflow measures them), not at each pan.
  const bounds = useMemo(() => (nodes.every((n) => n.measured?.width) ? getNodesBounds([...nodes]) : undefined), [nodes]);
  const wholeGraphInView = useStore((s) => bounds !== undefined && s.width > 0 && rectInView(bounds, s.transform, s.width, s.height));
  return wholeGraphInView ? null : <MiniMap pannable zoomable ariaLabel="Minimap" />;
}
