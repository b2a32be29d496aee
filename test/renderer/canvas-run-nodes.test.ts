// The nodes of a run's own canvas: where the canvas that saved the workflow put them, or laid out
// by dagre when the workflow has no stored places (a file written by hand, or by another tool).
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../shared/runs.js';
import { workflowSchema } from '../../shared/workflow.js';
import { nodeWidth } from '../../renderer/canvas/graph-model.js';
import { runNodeHeight, runNodes } from '../../renderer/canvas/run-nodes.js';

const steps = [
  { step: 1, platform: 'shell', inputs: { command: 'echo a' } },
  { step: 2, platform: 'shell', inputs: { command: 'echo b' }, dependencies: [1] },
  { step: 3, platform: 'shell', inputs: { command: 'echo c' }, dependencies: [1] },
  { step: 4, platform: 'shell', inputs: { command: 'echo d' }, dependencies: [2, 3] },
];
const workflowOf = (input: unknown): RunDetail['workflow'] => workflowSchema.parse(input);

describe('a run’s canvas nodes', () => {
  it('stand where metadata.layout put them', () => {
    const positions = { '1': { x: 0, y: 100 }, '2': { x: 300, y: 0 }, '3': { x: 300, y: 200 }, '4': { x: 600, y: 100 } };
    const nodes = runNodes(workflowOf({ name: 'Placed', workflow: steps, metadata: { layout: { positions } } }));
    expect(Object.fromEntries(nodes.map((n) => [n.id, n.position]))).toEqual(positions);
  });

  it('are laid out left to right by dependency when nothing is stored, with room for the run lines', () => {
    const nodes = runNodes(workflowOf({ name: 'Unplaced', workflow: steps }));
    const at = (id: string) => nodes.find((n) => n.id === id)!.position;
    expect(at('2').x).toBeGreaterThanOrEqual(at('1').x + nodeWidth);
    expect(at('4').x).toBeGreaterThanOrEqual(at('2').x + nodeWidth);
    // 2 and 3 share a column without overlapping, though a run's node is taller than a draft's.
    expect(at('2').x).toBe(at('3').x);
    expect(Math.abs(at('2').y - at('3').y)).toBeGreaterThanOrEqual(runNodeHeight);
  });
});
