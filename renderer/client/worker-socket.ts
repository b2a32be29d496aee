import type { SocketLike } from './websocket-transport.js';

/** Messages from the page to socket-worker.ts. */
export type ToSocketWorker = { type: 'connect'; url: string } | { type: 'send'; data: string } | { type: 'close'; code?: number; reason?: string };
/** Messages from socket-worker.ts: the socket's events. */
export type FromSocketWorker =
  | { type: 'open' }
  | { type: 'message'; data: ArrayBuffer | string }
  | { type: 'error' }
  | { type: 'close'; code: number; reason: string };

/** The part of a Worker this uses, so tests can hand in a fake. */
export interface WorkerLike {
  postMessage(message: ToSocketWorker): void;
  onmessage: ((event: { data: FromSocketWorker }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

const connecting = 0;
const open = 1;
const closing = 2;
const closed = 3;

/**
 * A WebSocket that lives in a worker (socket-worker.ts says why), seen from the page as the
 * transport's SocketLike: the same events in the same order, binary frames as ArrayBuffers.
 */
export class WorkerSocket implements SocketLike {
  readyState = connecting;
  binaryType = 'arraybuffer';
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;

  constructor(
    url: string,
    private readonly worker: WorkerLike,
  ) {
    worker.onmessage = ({ data: message }) => this.receive(message);
    // The worker's script could not load or threw: to the transport, a socket that closed.
    worker.onerror = () => this.closed(1006, 'the connection worker failed');
    worker.postMessage({ type: 'connect', url });
  }

  send(data: string): void {
    if (this.readyState !== open) throw new Error(`WebSocket is not open (state ${this.readyState})`);
    this.worker.postMessage({ type: 'send', data });
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= closing) return;
    this.readyState = closing;
    this.worker.postMessage({ type: 'close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) });
  }

  private receive(message: FromSocketWorker): void {
    if (this.readyState === closed) return;
    if (message.type === 'open') {
      this.readyState = open;
      this.onopen?.({});
    } else if (message.type === 'message') this.onmessage?.({ data: message.data });
    else if (message.type === 'error') this.onerror?.({});
    else this.closed(message.code, message.reason);
  }

  private closed(code: number, reason: string): void {
    if (this.readyState === closed) return;
    this.readyState = closed;
    this.worker.terminate();
    this.onclose?.({ code, reason });
  }
}

/**
 * The page's socket to `url` in a worker of its own; a plain WebSocket where workers cannot start
 * (none in this environment, or a policy refuses them).
 */
export function createWorkerSocket(url: string): SocketLike {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module', name: 'photon-socket' });
  } catch {
    return new WebSocket(url) as unknown as SocketLike;
  }
  return new WorkerSocket(url, worker as unknown as WorkerLike);
}
