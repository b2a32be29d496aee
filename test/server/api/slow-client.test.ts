/**
 * A client that stops reading the event stream while a step pours out output: the server cuts it
 * off once too much waits for it, instead of holding it all in memory, and the client, reading
 * again, finds the connection closed (and would resume with its last id).
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../shared/rest.js';
import { useApiHost } from './helpers.js';

const api = useApiHost();

async function flood(): Promise<void> {
  // About 100 million characters of output: more than the kernel's buffers and the 32 MB allowed to wait.
  const started = await api.call<Operation>('POST', '/api/v1/operations', {
    body: { name: 'flood', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'head -c 100000000 /dev/zero | tr "\\0" x' } }], baseDir: api.host.root },
  });
  expect(started.status).toBe(201);
  expect(await api.host.engine.waitForRun(started.body.data!.id)).toBe('succeeded');
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), ms)))]).finally(() => clearTimeout(timer));
}

describe('an event client that stops reading', () => {
  it('is cut off on the SSE stream rather than buffered without end', async () => {
    const socket = connect(api.host.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/v1/events/stream?type=step.output HTTP/1.1\r\nHost: 127.0.0.1:${api.host.server.port}\r\nAuthorization: Bearer ${api.host.server.token}\r\n\r\n`);
    let received = 0;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    // Let the response head arrive, then read nothing more.
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.pause();

    await flood();

    // Reading again: whatever was in flight arrives, then the connection ends, though the stream never does.
    socket.resume();
    const outcome = await within(closed.then(() => 'closed'), 30_000);
    socket.destroy();
    expect(outcome).toBe('closed');
    expect(received).toBeLessThan(100_000_000);
  }, 180_000);

  it('is dropped from the WebSocket rather than buffered without end', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${api.host.server.port}/api/v1/events?type=step.output`, { headers: { authorization: `Bearer ${api.host.server.token}` } });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.on('error', () => undefined);
    const closed = new Promise<string>((resolve) => client.once('close', () => resolve('closed')));
    // The socket under the WebSocket stops reading, as a stalled client would.
    const raw = (client as unknown as { _socket: Socket })._socket;
    raw.pause();
    await flood();
    raw.resume();
    const outcome = await within(closed, 30_000);
    client.terminate();
    expect(outcome).toBe('closed');
  }, 180_000);
});
