import { describe, expect, it } from 'vitest';
import { createWebSocketTransport } from '../../renderer/client/websocket-transport.js';
import { WorkerSocket, type FromSocketWorker, type ToSocketWorker, type WorkerLike } from '../../renderer/client/worker-socket.js';
import { encodeTerminalData } from '../../shared/terminal-frames.js';

/** Stands in for the worker: records what the page posts, and plays the socket's events back. */
class FakeWorker implements WorkerLike {
  posted: ToSocketWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromSocketWorker }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  postMessage(message: ToSocketWorker) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  emit(message: FromSocketWorker) {
    this.onmessage?.({ data: message });
  }
}

describe('the page socket in a worker', () => {
  it('carries calls, replies and binary terminal frames in order through the transport, and ends its worker on close', async () => {
    const worker = new FakeWorker();
    const transport = createWebSocketTransport({ url: 'ws://127.0.0.1:1/rpc', createSocket: (url) => new WorkerSocket(url, worker), backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1 } });
    expect(worker.posted).toEqual([{ type: 'connect', url: 'ws://127.0.0.1:1/rpc' }]);
    const events: unknown[] = [];
    transport.onEvent((envelope) => events.push(envelope));
    worker.emit({ type: 'open' });
    const reply = transport.request({ id: 7, method: 'terminals.list', params: {} } as never);
    expect(worker.posted.at(-1)).toEqual({ type: 'send', data: JSON.stringify({ id: 7, method: 'terminals.list', params: {} }) });
    const frame = encodeTerminalData('t1', 'héllo');
    worker.emit({ type: 'message', data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer });
    worker.emit({ type: 'message', data: JSON.stringify({ id: 7, result: [] }) });
    expect(events).toEqual([{ event: 'terminal.data', payload: { id: 't1', data: 'héllo' } }]);
    expect(await reply).toEqual({ id: 7, result: [] });
    worker.emit({ type: 'close', code: 1006, reason: '' });
    expect(worker.terminated).toBe(true);
    transport.close();
  });

  it('reports a worker that cannot start as a closed socket, so the transport retries', () => {
    const worker = new FakeWorker();
    const socket = new WorkerSocket('ws://127.0.0.1:1/rpc', worker);
    const closes: { code: number; reason: string }[] = [];
    socket.onclose = (event) => closes.push(event);
    worker.onerror?.({});
    expect(closes).toEqual([{ code: 1006, reason: 'the connection worker failed' }]);
    expect(socket.readyState).toBe(3);
    expect(() => socket.send('x')).toThrow(/not open/);
    expect(worker.terminated).toBe(true);
  });
});
