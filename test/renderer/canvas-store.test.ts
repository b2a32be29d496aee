// The canvas's graph edits on the real store, without a browser: what the user does with the
// mouse and keys ends up as these calls.
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../../shared/validate-workflow.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { ancestorsByEdges, fromWorkflow, toWorkflow } from '../../renderer/canvas/graph-model.js';
import { templates } from '../../renderer/canvas/templates/index.js';
import { createPhotonStore, type PhotonStore } from '../../renderer/store/store.js';
import { systemInfo } from './fixtures.js';

function step(n: number, dependencies: number[] = [], command = `echo ${n}`): WorkflowStep {
  return { step: n, label: `Step ${n}`, platform: 'shell', inputs: { command }, dependencies, continueOnFailure: false };
}

/** 1 → 2, 1 → 3, 2 → 4, 3 → 4. */
const diamond = { name: 'Diamond', workflow: [step(1), step(2, [1]), step(3, [1]), step(4, [2, 3])] };

function open(workflow = diamond): PhotonStore {
  const store = createPhotonStore();
  store.getState().setSystem(systemInfo);
  store.getState().canvasOpen('w1', structuredClone(workflow));
  return store;
}

const deps = (store: PhotonStore) => Object.fromEntries(store.getState().canvas.nodes.map((n) => [n.data.step.step, n.data.step.dependencies]));
const edgeIds = (store: PhotonStore) => store.getState().canvas.edges.map((e) => e.id).sort();

describe('canvas store: connecting', () => {
  it('opens a workflow as nodes and dependency edges, laid out, clean and valid', () => {
    const store = open();
    const { canvas } = store.getState();
    expect(canvas.nodes.map((n) => n.id)).toEqual(['1', '2', '3', '4']);
    expect(edgeIds(store)).toEqual(['1->2', '1->3', '2->4', '3->4']);
    expect(canvas.dirty).toBe(false);
    expect(canvas.issues.count).toBe(0);
    // Auto-laid out left to right: a dependent sits right of its dependency.
    const x = (id: string) => canvas.nodes.find((n) => n.id === id)!.position.x;
    expect(x('2')).toBeGreaterThan(x('1'));
    expect(x('4')).toBeGreaterThan(x('3'));
  });

  it('adds a dependency for a new connection', () => {
    const store = open({ name: 'Two', workflow: [step(1), step(2)] });
    expect(store.getState().canvasConnect(1, 2)).toBe(true);
    expect(deps(store)[2]).toEqual([1]);
    expect(edgeIds(store)).toEqual(['1->2']);
    expect(store.getState().canvas.dirty).toBe(true);
  });

  it('refuses a connection that closes a cycle, says why, and changes nothing', () => {
    const store = open();
    const before = store.getState().canvas.nodes;
    expect(store.getState().canvasConnect(4, 1)).toBe(false);
    const { canvas } = store.getState();
    expect(canvas.nodes).toBe(before);
    expect(canvas.dirty).toBe(false);
    expect(canvas.message?.text).toMatch(/cycle \(1 → 2 → 4 → 1\)/);
    expect(canvas.past).toHaveLength(0);
  });

  it('refuses a duplicate edge and a step joined to itself', () => {
    const store = open();
    expect(store.getState().canvasConnect(1, 2)).toBe(false);
    expect(store.getState().canvas.message?.text).toBe('Step 2 already depends on step 1.');
    expect(store.getState().canvasConnect(3, 3)).toBe(false);
    expect(store.getState().canvas.message?.text).toBe('A step cannot depend on itself (step 3).');
    expect(deps(store)[2]).toEqual([1]);
  });
});

describe('canvas store: adding, deleting, undo and redo', () => {
  it('adds a dropped step with the next number, selected, runnable as it is', () => {
    const store = open();
    const number = store.getState().canvasAddStep('shell', { x: 500, y: 300 });
    expect(number).toBe(5);
    const node = store.getState().canvas.nodes.at(-1)!;
    expect(node).toMatchObject({ id: '5', position: { x: 500, y: 300 }, selected: true });
    expect(node.data.step).toMatchObject({ step: 5, platform: 'shell', dependencies: [] });
    expect(store.getState().canvas.issues.count).toBe(0);
  });

  it('deletes a step with the edges that touch it, and undo and redo walk it back and forth', () => {
    const store = open();
    store.getState().canvasDelete([2], []);
    expect(store.getState().canvas.nodes.map((n) => n.id)).toEqual(['1', '3', '4']);
    expect(deps(store)[4]).toEqual([3]);
    expect(edgeIds(store)).toEqual(['1->3', '3->4']);

    store.getState().canvasUndo();
    expect(store.getState().canvas.nodes.map((n) => n.id)).toEqual(['1', '2', '3', '4']);
    expect(edgeIds(store)).toEqual(['1->2', '1->3', '2->4', '3->4']);

    store.getState().canvasRedo();
    expect(store.getState().canvas.nodes.map((n) => n.id)).toEqual(['1', '3', '4']);
    expect(edgeIds(store)).toEqual(['1->3', '3->4']);
  });

  it('deletes the selected edge alone', () => {
    const store = open();
    store.getState().canvasEdgesChange([{ type: 'select', id: '2->4', selected: true }]);
    store.getState().canvasDeleteSelection();
    expect(deps(store)[4]).toEqual([3]);
    expect(store.getState().canvas.nodes).toHaveLength(4);
  });

  it('undoes every kind of edit in order, and a new edit clears redo', () => {
    const store = open({ name: 'Two', workflow: [step(1), step(2)] });
    const s = () => store.getState();
    s().canvasConnect(1, 2);
    s().canvasAddStep('shell', { x: 0, y: 0 });
    s().canvasUpdateStep(3, { label: 'Deploy' });
    s().canvasLayout();
    expect(s().canvas.past).toHaveLength(4);

    s().canvasUndo(); // layout
    s().canvasUndo(); // label
    expect(s().canvas.nodes.find((n) => n.id === '3')!.data.step.label).toBe('Shell 3');
    s().canvasUndo(); // add
    expect(s().canvas.nodes).toHaveLength(2);
    s().canvasUndo(); // connect
    expect(deps(store)[2]).toEqual([]);
    s().canvasUndo(); // nothing left: no change
    expect(s().canvas.nodes).toHaveLength(2);

    s().canvasRedo();
    expect(deps(store)[2]).toEqual([1]);
    s().canvasAddStep('shell', { x: 10, y: 10 });
    expect(s().canvas.future).toHaveLength(0);
  });

  it('makes one undo step of typing in one field', () => {
    const store = open();
    const s = () => store.getState();
    for (const text of ['e', 'ec', 'ech', 'echo']) s().canvasUpdateStep(1, { inputs: { command: text } }, 'inputs.command');
    s().canvasUpdateStep(1, { label: 'First' }, 'label');
    expect(s().canvas.past).toHaveLength(2);
    s().canvasUndo();
    s().canvasUndo();
    expect(s().canvas.nodes[0]!.data.step.inputs.command).toBe('echo 1');
  });

  it('makes one undo step of a drag, however many moves it has', () => {
    const store = open();
    const s = () => store.getState();
    const start = s().canvas.nodes[0]!.position;
    for (const [x, dragging] of [[10, true], [20, true], [30, true], [30, false]] as const) {
      s().canvasNodesChange([{ type: 'position', id: '1', position: { x, y: 0 }, dragging }]);
    }
    expect(s().canvas.nodes[0]!.position).toEqual({ x: 30, y: 0 });
    expect(s().canvas.past).toHaveLength(1);
    expect(s().canvas.dirty).toBe(true);
    s().canvasUndo();
    expect(s().canvas.nodes[0]!.position).toEqual(start);
  });

  it('leaves the edges and every unmoved node as they were during a drag (what the canvas re-renders depends on it)', () => {
    const store = open();
    const s = () => store.getState();
    const before = s().canvas;
    s().canvasNodesChange([{ type: 'position', id: '2', position: { x: 5, y: 5 }, dragging: true }]);
    expect(s().canvas.edges).toBe(before.edges);
    expect(s().canvas.issues).toBe(before.issues);
    for (const id of ['1', '3', '4']) expect(s().canvas.nodes.find((n) => n.id === id)).toBe(before.nodes.find((n) => n.id === id));
    expect(s().canvas.nodes.find((n) => n.id === '2')!.data).toBe(before.nodes.find((n) => n.id === '2')!.data);
  });
});

describe('canvas: the completion’s ancestors', () => {
  it('are every step a step runs after, read from the edges, and follow a new connection', () => {
    const store = open({ name: 'Chain and a loner', workflow: [...diamond.workflow, step(5), step(6, [4])] });
    const ancestors = (n: number) => ancestorsByEdges(store.getState().canvas.edges, n);
    expect(ancestors(6)).toEqual([1, 2, 3, 4]);
    expect(ancestors(4)).toEqual([1, 2, 3]);
    expect(ancestors(2)).toEqual([1]);
    expect(ancestors(1)).toEqual([]);
    expect(ancestors(5)).toEqual([]);
    store.getState().canvasConnect(5, 2);
    expect(ancestors(6)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('canvas store: copy, paste and duplicate', () => {
  it('pastes with new numbers after the highest; edges inside the selection come along, others do not', () => {
    const store = open();
    const s = () => store.getState();
    s().canvasSelect([2, 4]);
    s().canvasCopy();
    const added = s().canvasPaste();
    expect(added).toEqual([5, 6]);
    // 2 → 4 was inside the selection: 5 → 6. 1 → 2 and 3 → 4 crossed its border: dropped.
    expect(deps(store)[5]).toEqual([]);
    expect(deps(store)[6]).toEqual([5]);
    expect(edgeIds(store)).toContain('5->6');
    expect(s().canvas.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['5', '6']);
    // The originals are untouched.
    expect(deps(store)[4]).toEqual([2, 3]);
    expect(s().canvas.issues.count).toBe(0);
  });

  it('renumbers output references to pasted steps and pastes again with fresh numbers', () => {
    const store = open({ name: 'Refs', workflow: [step(1), step(2, [1], 'echo {{steps.1.output}}')] });
    const s = () => store.getState();
    s().canvasSelectAll();
    s().canvasCopy();
    s().canvasPaste();
    expect(s().canvas.nodes.find((n) => n.id === '4')!.data.step.inputs.command).toBe('echo {{steps.3.output}}');
    expect(s().canvasPaste()).toEqual([5, 6]);
    expect(deps(store)[6]).toEqual([5]);
    s().canvasUndo();
    s().canvasUndo();
    expect(s().canvas.nodes).toHaveLength(2);
  });

  it('duplicates the selection in one step', () => {
    const store = open();
    store.getState().canvasSelect([1, 2]);
    expect(store.getState().canvasDuplicate()).toEqual([5, 6]);
    expect(deps(store)[6]).toEqual([5]);
    expect(store.getState().canvas.past).toHaveLength(1);
  });
});

describe('canvas store: validation and the file format', () => {
  it('puts the engine’s issues on the step and field as the user types', () => {
    const store = open();
    store.getState().canvasUpdateStep(3, { inputs: { command: '' } }, 'inputs.command');
    expect(store.getState().canvas.issues.byStep[3]!['inputs.command']).toMatch(/non-empty "command"/);
    store.getState().canvasUpdateStep(3, { inputs: { command: 'echo {{steps.2.output}}' } }, 'inputs.command');
    expect(store.getState().canvas.issues.byStep[3]!.inputs).toMatch(/step 2 is not an ancestor of step 3/);
    store.getState().canvasUpdateStep(3, { inputs: { command: 'echo {{steps.1.output}}' } }, 'inputs.command');
    expect(store.getState().canvas.issues.count).toBe(0);
    store.getState().canvasUpdateStep(3, { platform: 'codex' });
    expect(store.getState().canvas.issues.byStep[3]!.platform).toMatch(/not supported by this version/);
  });

  it('writes the operation format with positions in metadata.layout, and reads it back the same', () => {
    const store = open({ ...diamond, metadata: { owner: 'ops' }, priority: 'high' } as typeof diamond);
    const written = toWorkflow(store.getState().canvas);
    const checked = validateWorkflow(written, { runnablePlatforms: new Set(['shell']) });
    expect(checked.ok).toBe(true);
    expect(written).toMatchObject({ name: 'Diamond', priority: 'high', metadata: { owner: 'ops' } });
    const positions = (written.metadata as { layout: { positions: Record<string, { x: number }> } }).layout.positions;
    expect(Object.keys(positions)).toEqual(['1', '2', '3', '4']);

    const again = fromWorkflow(JSON.parse(JSON.stringify(written)) as typeof diamond);
    expect(again.positioned).toBe(true);
    expect(again.nodes.map((n) => [n.id, n.position, n.data.step.dependencies])).toEqual(
      store.getState().canvas.nodes.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }, n.data.step.dependencies]),
    );
  });

  it('replaces the graph with an imported file as one undoable edit', () => {
    const store = open();
    store.getState().canvasReplace({ name: 'Imported', workflow: [step(1), step(2, [1])] });
    expect(store.getState().canvas.meta.name).toBe('Imported');
    expect(edgeIds(store)).toEqual(['1->2']);
    store.getState().canvasUndo();
    expect(store.getState().canvas.meta.name).toBe('Diamond');
    expect(store.getState().canvas.nodes).toHaveLength(4);
  });
});

describe('templates', () => {
  it.each(templates.map((t) => [t.title, t] as const))('%s is a workflow the engine accepts as it is', (_title, template) => {
    expect(validateWorkflow(template.workflow, { runnablePlatforms: new Set(['shell', 'claude-code']) })).toMatchObject({ ok: true });
  });

  it('has the bundled examples and the three the issue names, besides a blank one', () => {
    expect(templates.map((t) => t.id)).toEqual(['blank', 'diamond', 'full-stack-agents', 'full-stack-feature', 'fan-out-review', 'build-test-lint']);
    expect(templates.find((t) => t.id === 'full-stack-feature')!.workflow.workflow).toHaveLength(4);
  });

  it('names every starting point differently, so the home page\'s cards and their buttons tell them apart', () => {
    // The cards show the workflow's name, and the workflow made from one is saved under it.
    expect(new Set(templates.map((t) => t.workflow.name)).size).toBe(templates.length);
    expect(new Set(templates.map((t) => t.title)).size).toBe(templates.length);
  });
});
