/**
 * One WebSocket to a running `photon daemon` (/rpc, with the data folder's token): requests in the
 * contract's envelope, each answered by its id, and the daemon's events. The CLI calls through it
 * (`call`); the desktop app puts its window's requests and the events on it (daemon-engine.ts).
 */
import { WebSocket } from 'ws';
import type { EventEnvelope, MethodName, MethodParams, MethodResult, ReplyEnvelope } from '../../../shared/api.js';
import { PhotonError } from '../../../shared/errors.js';
import type { DaemonInfo } from './discovery.js';

export interface EngineCaller {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
}

export class DaemonConnection implements EngineCaller {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ReplyEnvelope) => void>();
  private readonly eventListeners = new Set<(envelope: EventEnvelope) => void>();
  private readonly closeListeners = new Set<() => void>();

  private constructor(
    private readonly socket: WebSocket,
    readonly daemon: DaemonInfo,
  ) {
    socket.on('message', (data) => this.received(String(data)));
    socket.on('close', () => {
      const gone: ReplyEnvelope = { id: null, ok: false, error: { code: 'unavailable', message: `the Photon daemon at ${daemon.url} (pid ${daemon.pid}) closed the connection; is it still running?` } };
      for (const answer of this.waiting.values()) answer(gone);
      this.waiting.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  /**
   * Connects, or resolves undefined when nothing listens there any more (a daemon killed before it
   * could remove its file, its pid since reused): the caller then opens the data folder itself.
   */
  static async connect(daemon: DaemonInfo, token: string, timeoutMs = 10_000): Promise<DaemonConnection | undefined> {
    const socket = new WebSocket(`${daemon.url.replace(/^http/, 'ws')}/rpc`, { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new DaemonConnection(socket, daemon)));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') resolve(undefined);
        else reject(new PhotonError('unavailable', `cannot reach the Photon daemon at ${daemon.url} (pid ${daemon.pid}): ${error.message}; stop it (kill ${daemon.pid}) or start it again with \`photon daemon\``));
      });
      socket.once('unexpected-response', (_request, response) => {
        socket.terminate();
        reject(new PhotonError('unavailable', `the Photon daemon at ${daemon.url} refused the connection (HTTP ${response.statusCode}); is the data folder's server-token the one it uses?`));
      });
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** One request; resolves with the daemon's reply (its id is this connection's own), never rejects. */
  request(method: string, params: unknown): Promise<ReplyEnvelope> {
    if (!this.open) return Promise.resolve({ id: null, ok: false, error: { code: 'unavailable', message: `the Photon daemon at ${this.daemon.url} is no longer connected` } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const reply = await this.request(method, params);
    if (!reply.ok) throw new PhotonError(reply.error.code, reply.error.message, reply.error.details);
    return reply.value as MethodResult<M>;
  }

  onEvent(listener: (envelope: EventEnvelope) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The daemon went away (stopped, killed) or the connection was closed. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((done) => {
      this.socket.once('close', () => done());
      this.socket.close(1000);
    });
  }

  private received(text: string): void {
    let message: ReplyEnvelope | EventEnvelope;
    try {
      message = JSON.parse(text) as ReplyEnvelope | EventEnvelope;
    } catch {
      return;
    }
    if ('event' in message) {
      for (const listener of this.eventListeners) listener(message);
      return;
    }
    if (typeof message.id !== 'number') return;
    const answer = this.waiting.get(message.id);
    if (!answer) return;
    this.waiting.delete(message.id);
    answer(message);
  }
}
