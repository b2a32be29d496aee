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

/** Whether this is a desktop app window: the preload put the bridge on it. */
export function isDesktopWindow(scope: Window): boolean {
  return isBridge((scope as unknown as Record<string, unknown>)[bridgeGlobalName]);
}

/** Inside Electron the preload has put the bridge on the window; anywhere else, a WebSocket to this origin. */
export function pickTransport(scope: Window): Transport {
  const bridge = (scope as unknown as Record<string, unknown>)[bridgeGlobalName];
  if (isBridge(bridge)) return createBridgeTransport(bridge);
  return createWebSocketTransport({ url: rpcUrl(scope.location), diagnose: () => diagnoseWebHost(scope) });
}

/** The page's own host answers /health behind the same token: a 401 means the token is the problem. */
async function diagnoseWebHost(scope: Window): Promise<string | null> {
  try {
    const response = await scope.fetch(new URL('/health', scope.location.href), { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) return 'the token was not accepted: open the address `photon serve` printed (it ends in ?token=…)';
    return null;
  } catch {
    return 'Photon is not running at this address; start it with `photon serve` or `npm run web`';
  }
}
