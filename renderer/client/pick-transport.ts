import { bridgeGlobalName, type PhotonBridge } from '../../shared/bridge.js';
import { createBridgeTransport } from './bridge-transport.js';
import type { Transport } from './transport.js';
import { createWebSocketTransport, rpcUrl } from './websocket-transport.js';

function isBridge(value: unknown): value is PhotonBridge {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PhotonBridge).invoke === 'function' &&
    typeof (value as PhotonBridge).on === 'function'
  );
}

/** Inside Electron the preload has put the bridge on the window; anywhere else, a WebSocket to this origin. */
export function pickTransport(scope: Window): Transport {
  const bridge = (scope as unknown as Record<string, unknown>)[bridgeGlobalName];
  if (isBridge(bridge)) return createBridgeTransport(bridge);
  return createWebSocketTransport({ url: rpcUrl(scope.location) });
}
