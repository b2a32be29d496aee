/**
 * The desktop app's engine when a `photon daemon` runs on its data folder: the same shape as the
 * in-process engine as far as the app's host uses it (its window's requests, events, the terminals
 * its windows follow), every request answered by the daemon. Schedules and triggers keep firing in
 * the daemon, and the runs they start reach the window live.
 */
import type { EventEnvelope, EventName, EventPayload, MethodName, MethodParams, MethodResult, ReplyEnvelope } from '../../../shared/api.js';
import { maxRequestIdChars } from '../../../shared/api.js';
import type { CallContext, Engine } from '../../engine/index.js';
import type { DaemonConnection } from './connection.js';

/** What a host needs of an engine: the in-process one, or a daemon's. */
export type HostedEngine = Pick<Engine, 'call' | 'on' | 'onAny' | 'dispatch' | 'isAttached' | 'clientDisconnected' | 'close'>;

export class DaemonEngine implements HostedEngine {
  /** Which of the app's clients (windows) follow each terminal: the daemon counts the connection as one. */
  private readonly attached = new Map<string, Set<string>>();

  constructor(readonly connection: DaemonConnection) {}

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    return this.connection.call(method, params);
  }

  /** An untrusted envelope from a window: checked for its shape here, for its content by the daemon. */
  async dispatch(request: unknown, context?: CallContext): Promise<ReplyEnvelope> {
    const envelope = request as { id?: unknown; method?: unknown; params?: unknown } | null;
    const id = typeof envelope?.id === 'number' || (typeof envelope?.id === 'string' && envelope.id.length <= maxRequestIdChars) ? envelope.id : null;
    if (typeof envelope !== 'object' || envelope === null || id === null || typeof envelope.method !== 'string') {
      return { id, ok: false, error: { code: 'invalid', message: 'a request is { id, method, params }' } };
    }
    const reply = await this.connection.request(envelope.method, envelope.params);
    if (reply.ok && context) this.follow(envelope.method, envelope.params, context.clientId);
    return { ...reply, id };
  }

  isAttached(terminalId: string, clientId: string): boolean {
    return this.attached.get(terminalId)?.has(clientId) ?? false;
  }

  clientDisconnected(clientId: string): void {
    for (const [terminalId, clients] of this.attached) {
      if (!clients.delete(clientId) || clients.size > 0) continue;
      this.attached.delete(terminalId);
      // No window follows it any more: its output must not be held back for one.
      void this.connection.request('terminals.detach', { id: terminalId });
    }
  }

  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    return this.connection.onEvent((envelope) => {
      if (envelope.event === event) handler(envelope.payload as EventPayload<E>);
    });
  }

  onAny(listener: (envelope: EventEnvelope) => void): () => void {
    return this.connection.onEvent(listener);
  }

  /** Closes the connection; the daemon and its runs go on. */
  close(): Promise<void> {
    return this.connection.close();
  }

  private follow(method: string, params: unknown, clientId: string): void {
    const terminalId = (params as { id?: unknown } | undefined)?.id;
    if (typeof terminalId !== 'string') return;
    if (method === 'terminals.attach') {
      const clients = this.attached.get(terminalId) ?? new Set<string>();
      clients.add(clientId);
      this.attached.set(terminalId, clients);
    } else if (method === 'terminals.detach' || method === 'terminals.close') {
      this.attached.get(terminalId)?.delete(clientId);
      if (this.attached.get(terminalId)?.size === 0) this.attached.delete(terminalId);
    }
  }
}
