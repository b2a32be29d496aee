// What the canvas says about saving must never contradict itself: the state after undo, a fix, a
// save and a discarded draft, on the real store.
import { describe, expect, it } from 'vitest';
import type { WorkflowStep } from '../../shared/workflow.js';
import { toWorkflow } from '../../renderer/canvas/graph-model.js';
import { createPhotonStore, type PhotonStore } from '../../renderer/store/store.js';
import { systemInfo } from './fixtures.js';

const step = (n: number, command = `echo ${n}`): WorkflowStep => ({ step: n, label: `Step ${n}`, platform: 'shell', inputs: { command }, dependencies: [], continueOnFailure: false });

function open(): PhotonStore {
  const store = createPhotonStore();
  store.getState().setSystem(systemInfo);
  store.getState().canvasOpen('w1', { name: 'Saved one', workflow: [step(1), step(2)] }, 'rev-1');
  return store;
}

describe('canvas save status', () => {
  it('is clean again when undo returns to the saved version, and dirty again on redo', () => {
    const store = open();
    store.getState().canvasUpdateStep(1, { label: 'Renamed' }, 'label');
    expect(store.getState().canvas.dirty).toBe(true);
    store.getState().canvasUndo();
    expect(store.getState().canvas.dirty).toBe(false);
    store.getState().canvasRedo();
    expect(store.getState().canvas.dirty).toBe(true);
  });

  it('is clean when an edit types the saved value back', () => {
    const store = open();
    store.getState().canvasUpdateStep(1, { inputs: { command: 'echo changed' } }, 'command');
    store.getState().canvasUpdateStep(1, { inputs: { command: 'echo 1' } }, 'command');
    expect(store.getState().canvas.dirty).toBe(false);
  });

  it('compares with what was saved, so an edit made while the save was on its way stays unsaved', () => {
    const store = open();
    store.getState().canvasUpdateStep(1, { label: 'Saved label' });
    const sent = toWorkflow(store.getState().canvas);
    store.getState().canvasUpdateStep(2, { label: 'Typed during the save' });
    store.getState().canvasSaved('w1', 'rev-2', sent);
    expect(store.getState().canvas.dirty).toBe(true);
    store.getState().canvasUndo();
    expect(store.getState().canvas.dirty).toBe(false);
  });

  it("drops a refused save's message once the problems are fixed, and keeps other messages", () => {
    const store = open();
    store.getState().canvasUpdateStep(2, { inputs: { command: '' } }, 'command');
    expect(store.getState().canvas.issues.count).toBe(1);
    store.getState().canvasMessage('Not saved: fix the problem marked on the canvas first.', { saveRefused: true });
    store.getState().canvasUpdateStep(2, { inputs: { command: 'echo' } }, 'command');
    expect(store.getState().canvas.message).toBeNull();

    store.getState().canvasMessage('Imported x.json. Save to keep it.');
    store.getState().canvasUpdateStep(2, { label: 'Other' });
    expect(store.getState().canvas.message?.text).toBe('Imported x.json. Save to keep it.');
  });

  it('forgets the draft when the user leaves without saving', () => {
    const store = open();
    store.getState().canvasUpdateStep(1, { label: 'Draft' });
    store.getState().canvasDiscard();
    expect(store.getState().canvas).toMatchObject({ workflowId: null, dirty: false, nodes: [] });
  });
});
