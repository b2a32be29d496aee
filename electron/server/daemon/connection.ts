/**
 * The contract of a running `photon daemon`, over its WebSocket (/rpc) with the token from the data
 * folder: the same `call` as an in-process engine, so a command does not care which it has.
 */
import { WebSocket } from 'ws';
import type { MethodName, MethodParams, MethodResult, ReplyEnvelope } from '../../../shared/api.js';
import { PhotonError } from '../../../shared/errors.js';
import type { DaemonInfo } from './daemon-discovery.js';

export interface EngineCaller {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
}

export class DaemonClient implements EngineCaller {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly socket: WebSocket,
    readonly daemon: DaemonInfo,
  ) {
    socket.on('message', (data) => this.received(String(data)));
    socket.on('close', () => this.failAll(new PhotonError('unavailable', `the Photon daemon at ${daemon.url} (pid ${daemon.pid}) closed the connection; is it still running?`)));
  }

  /**
   * Connects, or resolves undefined when nothing listens there any more (a daemon killed before it
   * could remove its file, its pid since reused): the caller then opens the data folder itself.
   */
  static async connect(daemon: DaemonInfo, token: string, timeoutMs = 10_000): Promise<DaemonClient | undefined> {
    const socket = new WebSocket(`${daemon.url.replace(/^http/, 'ws')}/rpc`, { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new DaemonClient(socket, daemon)));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') resolve(undefined);
        else reject(new PhotonError('unavailable', `cannot reach the Photon daemon at ${daemon.url} (pid ${daemon.pid}): ${error.message}; stop it (kill ${daemon.pid}) or start it again with \`photon daemon\``));
      });
      socket.once('unexpected-response', (_request, response) => {
        socket.terminate();
        reject(new PhotonError('unavailable', `the Photon daemon at ${daemon.url} refused this command (HTTP ${response.statusCode}); is the data folder's server-token the one it uses?`));
      });
    });
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((done) => {
      this.socket.once('close', () => done());
      this.socket.close(1000);
    });
  }

  private received(text: string): void {
    let reply: ReplyEnvelope;
    try {
      reply = JSON.parse(text) as ReplyEnvelope;
    } catch {
      return;
    }
    // Events (no id) are not this client's business: a command asks and prints.
    if (typeof reply.id !== 'number') return;
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new PhotonError(reply.error.code, reply.error.message, reply.error.details));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
