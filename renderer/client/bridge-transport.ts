import type { EventEnvelope, ReplyEnvelope, RequestEnvelope } from '../../shared/api.js';
import type { PhotonBridge } from '../../shared/bridge.js';
import { PhotonError } from '../../shared/errors.js';
import { openState, type Transport } from './transport.js';

/** The preload bridge of the desktop app: always open while the window lives. */
export function createBridgeTransport(bridge: PhotonBridge): Transport {
  return {
    kind: 'bridge',
    async request(envelope: RequestEnvelope): Promise<ReplyEnvelope> {
      try {
        return await bridge.invoke(envelope);
      } catch (error) {
        throw new PhotonError('unavailable', `the desktop bridge failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onEvent(listener: (envelope: EventEnvelope) => void) {
      return bridge.on(listener);
    },
    onState() {
      return () => {};
    },
    state: () => openState,
    reconnect() {},
    close() {},
  };
}
