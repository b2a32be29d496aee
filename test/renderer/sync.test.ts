import { describe, expect, it } from 'vitest';
import { PhotonError } from '../../shared/errors.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { startSync } from '../../renderer/sync/sync.js';
import { FakeTransport, settle } from './fake-transport.js';
import { runDetail, runSummary, savedWorkflow, stepState, systemInfo, workflowSummary } from './fixtures.js';

const t0 = '2026-01-01T10:00:00.000Z';

function setup(initial: 'open' | 'connecting' = 'open') {
  const transport = new FakeTransport({ status: initial, attempt: 0, retryAt: null, reason: null });
  const store = createPhotonStore();
  let workflows = [workflowSummary('w1')];
  let runs = [runSummary('r1', t0)];
  transport
    .handle('system.info', () => systemInfo)
    .handle('workflows.list', () => workflows)
    .handle('runs.list', () => runs)
    .handle('workflows.get', (p) => {
      const { id } = p as { id: string };
      if (id !== 'w1') throw new PhotonError('not_found', `no workflow "${id}"`);
      return savedWorkflow('w1');
    })
    .handle('runs.get', () => runDetail('r1', t0));
  const client = createClient(transport);
  return {
    transport,
    store,
    client,
    setLists(next: { workflows?: typeof workflows; runs?: typeof runs }) {
      workflows = next.workflows ?? workflows;
      runs = next.runs ?? runs;
    },
  };
}

describe('keeping the store current', () => {
  it('fetches lists, engine facts and the open view once the link opens', async () => {
    const { transport, store, client } = setup('connecting');
    store.getState().setRoute({ view: 'run', id: 'r1' });
    startSync(client, store);
    expect(store.getState().connection.status).toBe('connecting');
    expect(transport.requests).toHaveLength(0);

    transport.setState({ status: 'open' });
    await settle();
    const state = store.getState();
    expect(state.connection.status).toBe('open');
    expect(state.system).toEqual(systemInfo);
    expect(state.workflows.list.map((w) => w.id)).toEqual(['w1']);
    expect(state.runs.list.map((r) => r.runId)).toEqual(['r1']);
    expect(state.runs.byId.r1!.steps).toHaveLength(2);
  });

  it('catches up after a reconnect: lists and the open view are fetched again', async () => {
    const { transport, store, client, setLists } = setup();
    store.getState().setRoute({ view: 'workflow', id: 'w1' });
    startSync(client, store);
    await settle();
    expect(transport.calls('workflows.get')).toHaveLength(1);

    transport.setState({ status: 'closed', attempt: 1, reason: 'connection lost' });
    setLists({ workflows: [workflowSummary('w1'), workflowSummary('w2')], runs: [runSummary('r2', '2026-01-01T11:00:00.000Z'), runSummary('r1', t0)] });
    transport.setState({ status: 'open' });
    await settle();

    expect(transport.calls('workflows.get')).toHaveLength(2);
    expect(store.getState().workflows.list.map((w) => w.id)).toEqual(['w1', 'w2']);
    expect(store.getState().runs.list.map((r) => r.runId)).toEqual(['r2', 'r1']);
  });

  it('applies run.updated and step.updated events', async () => {
    const { transport, store, client } = setup();
    store.getState().setRoute({ view: 'run', id: 'r1' });
    startSync(client, store);
    await settle();

    transport.emit('step.updated', { runId: 'r1', step: stepState(1, { status: 'succeeded', attempts: 1 }) });
    transport.emit('run.updated', runSummary('r1', t0, { status: 'failed' }));
    // Applied with the rest of their frame.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const run = store.getState().runs.byId.r1!;
    expect(run.steps[0]!.status).toBe('succeeded');
    expect(run.status).toBe('failed');
    expect(store.getState().runs.list[0]!.status).toBe('failed');
  });

  it('loads a view when the route changes, and records a missing one as the view error', async () => {
    const { store, client } = setup();
    startSync(client, store);
    await settle();

    store.getState().setRoute({ view: 'workflow', id: 'w1' });
    await settle();
    expect(store.getState().workflows.byId.w1).toBeDefined();

    store.getState().setRoute({ view: 'workflow', id: 'gone' });
    await settle();
    expect(store.getState().viewErrors['workflow:gone']).toEqual({ code: 'not_found', message: 'no workflow "gone"' });
    expect(store.getState().notices).toEqual([]);
  });

  it('shows other failures as notices with code and message', async () => {
    const { transport, store, client } = setup();
    transport.handle('runs.list', () => {
      throw new PhotonError('internal', 'database is locked');
    });
    startSync(client, store);
    await settle();
    expect(store.getState().notices).toEqual([expect.objectContaining({ title: 'Could not list runs', code: 'internal', message: 'database is locked' })]);
  });

  it('stops listening when stopped', async () => {
    const { transport, store, client } = setup();
    const sync = startSync(client, store);
    await settle();
    sync.stop();
    transport.emit('run.updated', runSummary('r9', '2026-02-01T00:00:00.000Z'));
    expect(store.getState().runs.list.map((r) => r.runId)).toEqual(['r1']);
  });
});
