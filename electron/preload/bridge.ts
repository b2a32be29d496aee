import { isEventName, isMethodName, type EventEnvelope, type ReplyEnvelope, type RequestEnvelope } from '../../shared/api.js';
import { ipcChannels, type PhotonBridge } from '../../shared/bridge.js';

/** The part of ipcRenderer the bridge uses; a fake stands in for it in tests. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The two functions the page gets. Only requests naming a contract method leave the page, only
 * events the contract names reach it, and a listener receives the bare `{ event, payload }`,
 * never Electron's event object (which would hand the page a way back to ipcRenderer).
 */
export function createBridge(ipc: BridgeIpc): PhotonBridge {
  const listeners = new Set<(envelope: EventEnvelope) => void>();
  const onMessage = (_event: unknown, envelope: unknown) => {
    if (envelope === null || typeof envelope !== 'object') return;
    const { event, payload } = envelope as Record<string, unknown>;
    if (!isEventName(event)) return;
    for (const listener of [...listeners]) {
      try {
        listener({ event, payload } as EventEnvelope);
      } catch (error) {
        console.error('photon: an event listener failed:', error);
      }
    }
  };

  return {
    async invoke(request: RequestEnvelope): Promise<ReplyEnvelope> {
      if (request === null || typeof request !== 'object') return refused(null, 'invalid', 'a request must be an object { id, method, params }');
      const { id, method, params } = request;
      if (typeof id !== 'number' && typeof id !== 'string') return refused(null, 'invalid', 'a request needs an "id" (number or string)');
      if (!isMethodName(method)) return refused(id, 'not_found', `unknown method ${JSON.stringify(method)}`);
      try {
        return (await ipc.invoke(ipcChannels.invoke, params === undefined ? { id, method } : { id, method, params })) as ReplyEnvelope;
      } catch (error) {
        // Params that cannot be cloned, or a main process that went away.
        return refused(id, 'invalid', `${method}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    on(listener: (envelope: EventEnvelope) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('photon.on needs a listener function');
      if (listeners.size === 0) ipc.on(ipcChannels.event, onMessage);
      listeners.add(listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(listener);
        if (listeners.size === 0) ipc.removeListener(ipcChannels.event, onMessage);
      };
    },
  };
}

function refused(id: number | string | null, code: 'invalid' | 'not_found', message: string): ReplyEnvelope {
  return { id, ok: false, error: { code, message } };
}
