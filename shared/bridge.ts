import type { EventEnvelope, ReplyEnvelope, RequestEnvelope } from './api.js';

/**
 * What the preload exposes to the renderer as `window.photon`: only these two functions, with
 * method and event names checked against the contract on both sides of the bridge.
 */
export interface PhotonBridge {
  invoke(request: RequestEnvelope): Promise<ReplyEnvelope>;
  on(listener: (envelope: EventEnvelope) => void): () => void;
}

/** The IPC channels behind the bridge; nothing else names them. */
export const ipcChannels = {
  invoke: 'photon:invoke',
  event: 'photon:event',
} as const;

export const bridgeGlobalName = 'photon';
