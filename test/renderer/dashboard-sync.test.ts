import { describe, expect, it } from 'vitest';
import { PhotonError } from '../../shared/errors.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { startSync } from '../../renderer/sync/sync.js';
import { snapshot } from './dashboard-fixtures.js';
import { FakeTransport, settle } from './fake-transport.js';
import { systemInfo } from './fixtures.js';

function setup(metrics: () => unknown) {
  const transport = new FakeTransport();
  transport
    .handle('system.info', () => systemInfo)
    .handle('workflows.list', () => [])
    .handle('runs.list', () => [])
    .handle('metrics.snapshot', metrics);
  const store = createPhotonStore();
  const client = createClient(transport);
  return { transport, store, client };
}

describe('the dashboard\'s numbers in the store', () => {
  it('reads a snapshot when the dashboard opens, then follows metrics.tick', async () => {
    const { transport, store, client } = setup(() => snapshot('2026-03-01T10:00:00.000Z'));
    startSync(client, store);
    await settle();
    expect(transport.calls('metrics.snapshot')).toHaveLength(0);

    store.getState().setRoute({ view: 'dashboard' });
    await settle();
    expect(transport.calls('metrics.snapshot')).toHaveLength(1);
    expect(store.getState().metrics.snapshot?.at).toBe('2026-03-01T10:00:00.000Z');

    transport.emit('metrics.tick', snapshot('2026-03-01T10:00:01.000Z', { active: { runs: 1, steps: 2, terminals: 2, agentsBusy: 0, stepsWaitingForInput: 1 } }));
    expect(store.getState().metrics.snapshot?.active).toMatchObject({ runs: 1, steps: 2, stepsWaitingForInput: 1 });
  });

  it('says on the page, not in a notice, that an engine without metrics has none', async () => {
    const { store, client } = setup(() => {
      throw new PhotonError('unavailable', 'not in this build yet');
    });
    store.getState().setRoute({ view: 'dashboard' });
    startSync(client, store);
    await settle();
    expect(store.getState().metrics).toEqual({ snapshot: null, unavailable: 'not in this build yet' });
    expect(store.getState().notices).toEqual([]);
  });

  it('reports any other failure to read the metrics as a notice', async () => {
    const { store, client } = setup(() => {
      throw new PhotonError('internal', 'database is locked');
    });
    store.getState().setRoute({ view: 'dashboard' });
    startSync(client, store);
    await settle();
    expect(store.getState().notices.map((n) => [n.title, n.message])).toEqual([['Could not read the metrics', 'database is locked']]);
  });
});
