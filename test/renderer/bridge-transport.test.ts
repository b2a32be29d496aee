import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, ReplyEnvelope, RequestEnvelope } from '../../shared/api.js';
import type { PhotonBridge } from '../../shared/bridge.js';
import { createBridgeTransport } from '../../renderer/client/bridge-transport.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { pickTransport } from '../../renderer/client/pick-transport.js';

/** What the preload puts on `window.photon`, answering from a function. */
function fakeBridge(answer: (request: RequestEnvelope) => Promise<ReplyEnvelope>) {
  const listeners = new Set<(envelope: EventEnvelope) => void>();
  const bridge: PhotonBridge = {
    invoke: answer,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, emit: (envelope: EventEnvelope) => listeners.forEach((l) => l(envelope)) };
}

describe('the desktop bridge transport', () => {
  it('is picked when the preload has put the bridge on the window', () => {
    const { bridge } = fakeBridge(async (r) => ({ id: r.id, ok: true, value: null }));
    const transport = pickTransport({ photon: bridge } as unknown as Window);
    expect(transport.kind).toBe('bridge');
    expect(transport.state().status).toBe('open');
  });

  it('carries calls and events through the bridge', async () => {
    const { bridge, emit } = fakeBridge(async (r) => ({ id: r.id, ok: true, value: { echoed: r } }));
    const client = createClient(createBridgeTransport(bridge));
    expect(await client.call('runs.get', { runId: 'r1' })).toEqual({ echoed: { id: 1, method: 'runs.get', params: { runId: 'r1' } } });

    const handler = vi.fn();
    client.on('step.output', handler);
    emit({ event: 'step.output', payload: { runId: 'r1', step: 1, attempt: 1, data: 'hi' } });
    expect(handler).toHaveBeenCalledWith({ runId: 'r1', step: 1, attempt: 1, data: 'hi' });
  });

  it('turns a failing bridge into an unavailable error', async () => {
    const { bridge } = fakeBridge(async () => {
      throw new Error('main process gone');
    });
    const client = createClient(createBridgeTransport(bridge));
    await expect(client.call('system.info')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('main process gone') });
  });
});
