// A call to the running `photon serve` over its WebSocket, for setting up what a test needs
// (an agent, a terminal) without driving every form; assertions still go through the page.
import WebSocket from 'ws';
import type { PhotonServer } from './photon-server.js';

export async function callServer(server: PhotonServer, method: string, params?: unknown): Promise<unknown> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { Authorization: `Bearer ${server.token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  try {
    return await new Promise((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; ok?: boolean; value?: unknown; error?: { message: string } };
        if (message.id !== 1) return;
        if (message.ok) resolve(message.value);
        else reject(new Error(`${method}: ${message.error?.message ?? 'failed'}`));
      });
      socket.send(JSON.stringify({ id: 1, method, params }));
    });
  } finally {
    socket.close();
  }
}
