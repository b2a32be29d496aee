import type { RendererClient } from '../client/photon-client.js';

/**
 * Every terminal's output, whichever way the transport brings it: as text in the contract's
 * `terminal.data` events (the desktop bridge, a JSON socket), or as the UTF-8 bytes of the
 * WebSocket's binary frames, which xterm decodes itself. `chars` is the text's length in UTF-16
 * code units, what flow control counts either way.
 */
export function onTerminalOutput(client: RendererClient, listener: (id: string, data: string | Uint8Array, chars: number) => void): () => void {
  const stops = [
    client.on('terminal.data', ({ id, data }) => listener(id, data, data.length)),
    client.transport.onTerminalBytes?.(({ id, bytes, chars }) => listener(id, bytes, chars)) ?? (() => {}),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
