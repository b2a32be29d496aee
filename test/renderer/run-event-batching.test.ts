// A big run sends thousands of run events a second. The store applies each frame's events in one
// update (so the run page renders once a frame, not once an event), keeps the objects of steps
// that did not change (so their memoised views do not render), and views find a step by number
// without searching the run's steps.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../renderer/client/photon-client.js';
import { selectRunStep, stepByNumber } from '../../renderer/store/selectors.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { startSync } from '../../renderer/sync/sync.js';
import { FakeTransport, settle } from './fake-transport.js';
import { runDetail, runSummary, stepState } from './fixtures.js';

const t0 = '2026-01-01T10:00:00.000Z';
const stepCount = 1000;
const frame = () => new Promise((resolve) => setTimeout(resolve, 50));

function setup() {
  const transport = new FakeTransport({ status: 'open', attempt: 0, retryAt: null, reason: null });
  const steps = Array.from({ length: stepCount }, (_, i) => stepState(i + 1));
  let served = runDetail('r1', t0, steps);
  transport
    .handle('system.info', () => ({}))
    .handle('workflows.list', () => [])
    .handle('runs.list', () => [runSummary('r1', t0)])
    .handle('runs.get', () => served);
  const store = createPhotonStore();
  store.getState().setRoute({ view: 'run', id: 'r1' });
  const client = createClient(transport);
  const sync = startSync(client, store);
  return { transport, store, sync, serve: (next: typeof served) => (served = next) };
}

describe('run events', () => {
  it('a burst of 1,000 step events reaches the store in one update, with every step current', async () => {
    const { transport, store } = setup();
    await settle();
    expect(store.getState().runs.byId.r1!.steps).toHaveLength(stepCount);

    let updates = 0;
    store.subscribe(() => updates++);
    for (let step = 1; step <= stepCount; step++) {
      transport.emit('step.updated', { runId: 'r1', step: stepState(step, { status: 'running', attempts: 1 }) });
      transport.emit('run.updated', runSummary('r1', t0, { counts: { total: stepCount, pending: stepCount - step, running: step, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 } }));
    }
    await frame();

    expect(updates).toBe(1);
    const run = store.getState().runs.byId.r1!;
    expect(run.steps.every((s) => s.status === 'running')).toBe(true);
    expect(run.counts.running).toBe(stepCount);
  });

  it('keeps the objects of the steps an update did not touch', async () => {
    const { transport, store } = setup();
    await settle();
    const before = store.getState().runs.byId.r1!.steps;
    transport.emit('step.updated', { runId: 'r1', step: stepState(500, { status: 'succeeded', attempts: 1 }) });
    transport.emit('step.updated', { runId: 'r1', step: stepState(501, { status: 'running', attempts: 1 }) });
    await frame();

    const after = store.getState().runs.byId.r1!.steps;
    expect(after).not.toBe(before);
    const changed = after.filter((s, i) => s !== before[i]).map((s) => s.step);
    expect(changed).toEqual([500, 501]);
    expect(after[499]!.status).toBe('succeeded');
  });

  it('applies events queued before a run was fetched before it, never over it', async () => {
    const { transport, store, sync, serve } = setup();
    await settle();
    // The event arrives, then (before the frame) a fetch answers with a newer state of the step.
    transport.emit('step.updated', { runId: 'r1', step: stepState(1, { status: 'running', attempts: 1 }) });
    serve(runDetail('r1', t0, [stepState(1, { status: 'succeeded', attempts: 1 }), stepState(2)]));
    await sync.loadRoute({ view: 'run', id: 'r1' });
    await frame();
    expect(store.getState().runs.byId.r1!.steps[0]!.status).toBe('succeeded');
  });

  it('finds a step by number, in any order of steps, as the same object until it changes', () => {
    const steps = Array.from({ length: stepCount }, (_, i) => stepState(stepCount - i));
    expect(stepByNumber(steps, 1)).toBe(steps[stepCount - 1]);
    expect(stepByNumber(steps, 1001)).toBeUndefined();

    const store = createPhotonStore();
    store.getState().runLoaded(runDetail('r1', t0, steps));
    const first = store.getState();
    store.getState().stepUpdated('r1', stepState(7, { status: 'running', attempts: 1 }));
    const second = store.getState();
    expect(selectRunStep('r1', 8)(second)).toBe(selectRunStep('r1', 8)(first));
    expect(selectRunStep('r1', 7)(second)).not.toBe(selectRunStep('r1', 7)(first));
    expect(selectRunStep('r1', 7)(second)!.status).toBe('running');
    expect(selectRunStep('gone', 7)(second)).toBeUndefined();
  });
});
