import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../shared/api.js';
import { ipcChannels } from '../../shared/bridge.js';
import { createBridge, type BridgeIpc } from '../../electron/preload/bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(reply: (channel: string, request: unknown) => unknown = (_c, r) => ({ id: (r as { id: number }).id, ok: true, value: 'pong' })) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => reply(channel, args[0])),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => listeners.get(channel)?.delete(listener)),
  } satisfies BridgeIpc;
  const emit = (message: unknown) => {
    // What Electron passes: its event object (with a way back to ipcRenderer), then the message.
    const electronEvent = { sender: { send: () => 'ipcRenderer!' }, ports: [] };
    for (const listener of listeners.get(ipcChannels.event) ?? []) listener(electronEvent, message);
  };
  return { ipc, emit, count: () => listeners.get(ipcChannels.event)?.size ?? 0 };
}

describe('the preload bridge', () => {
  it('sends a contract request on the invoke channel and returns the reply', async () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke({ id: 1, method: 'runs.list', params: { limit: 5 } })).resolves.toEqual({ id: 1, ok: true, value: 'pong' });
    expect(ipc.invoke).toHaveBeenCalledWith(ipcChannels.invoke, { id: 1, method: 'runs.list', params: { limit: 5 } });
  });

  it('copies only id, method and params across', async () => {
    const { ipc } = fakeIpc();
    await createBridge(ipc).invoke({ id: 2, method: 'system.info', extra: 'x' } as never);
    expect(ipc.invoke).toHaveBeenCalledWith(ipcChannels.invoke, { id: 2, method: 'system.info' });
  });

  it('never sends a method the contract does not name', async () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    for (const method of ['fs.readFile', 'toString', '__proto__', '']) {
      await expect(bridge.invoke({ id: 3, method })).resolves.toMatchObject({ id: 3, ok: false, error: { code: 'not_found' } });
    }
    await expect(bridge.invoke(null as never)).resolves.toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
    await expect(bridge.invoke({ method: 'runs.list' } as never)).resolves.toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('turns a failed send (uncloneable params) into an error reply', async () => {
    const { ipc } = fakeIpc(() => {
      throw new Error('An object could not be cloned.');
    });
    await expect(createBridge(ipc).invoke({ id: 4, method: 'workflows.save', params: { workflow: () => 1 } })).resolves.toEqual({
      id: 4,
      ok: false,
      error: { code: 'invalid', message: 'workflows.save: An object could not be cloned.' },
    });
  });

  it('hands listeners only { event, payload } of contract events', () => {
    const { ipc, emit } = fakeIpc();
    const bridge = createBridge(ipc);
    const seen: EventEnvelope[] = [];
    const seenArgs: unknown[][] = [];
    bridge.on((envelope, ...rest: unknown[]) => {
      seen.push(envelope);
      seenArgs.push(rest);
    });
    emit({ event: 'run.updated', payload: { runId: 'r' }, extra: 'dropped' });
    emit({ event: 'not.an.event', payload: 1 });
    emit({ event: 'toString', payload: 1 });
    emit(null);
    emit('run.updated');
    expect(seen).toEqual([{ event: 'run.updated', payload: { runId: 'r' } }]);
    expect(seenArgs).toEqual([[]]);
  });

  it('unsubscribes, and detaches from IPC when the last listener leaves', () => {
    const { ipc, emit, count } = fakeIpc();
    const bridge = createBridge(ipc);
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.on(a);
    const offB = bridge.on(b);
    expect(count()).toBe(1);
    offA();
    offA();
    emit({ event: 'step.updated', payload: {} });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
    offB();
    expect(count()).toBe(0);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering when one listener throws', () => {
    const { ipc, emit } = fakeIpc();
    const bridge = createBridge(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    bridge.on(() => {
      throw new Error('boom');
    });
    bridge.on(good);
    emit({ event: 'run.updated', payload: {} });
    expect(good).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });

  it('refuses a listener that is not a function', () => {
    expect(() => createBridge(fakeIpc().ipc).on('x' as never)).toThrow(TypeError);
  });
});
