import type { EventEnvelope, EventName, EventPayload, MethodName, ReplyEnvelope, RequestEnvelope } from '../../shared/api.js';
import { PhotonError } from '../../shared/errors.js';
import { openState, type ConnectionState, type Transport } from '../../renderer/client/transport.js';

type Handler = (params: unknown) => unknown;

/**
 * A transport that answers from handlers in memory: the renderer's client, sync and actions run
 * against it without a browser or an engine. Handlers throw PhotonErrors to send error replies.
 */
export class FakeTransport implements Transport {
  readonly kind = 'websocket' as const;
  readonly requests: RequestEnvelope[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly eventListeners = new Set<(envelope: EventEnvelope) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private current: ConnectionState;
  reconnects = 0;

  constructor(initial: ConnectionState = openState) {
    this.current = initial;
  }

  handle(method: MethodName, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  calls(method: MethodName): unknown[] {
    return this.requests.filter((r) => r.method === method).map((r) => r.params);
  }

  async request(envelope: RequestEnvelope): Promise<ReplyEnvelope> {
    if (this.current.status !== 'open') throw new PhotonError('unavailable', 'not connected');
    this.requests.push(envelope);
    const handler = this.handlers.get(envelope.method);
    if (!handler) return { id: envelope.id, ok: false, error: { code: 'not_found', message: `unknown method "${envelope.method}"` } };
    try {
      return { id: envelope.id, ok: true, value: await handler(envelope.params) };
    } catch (error) {
      if (error instanceof PhotonError) return { id: envelope.id, ok: false, error: error.toBody() };
      throw error;
    }
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.eventListeners]) listener({ event, payload } as EventEnvelope);
  }

  setState(state: Partial<ConnectionState> & Pick<ConnectionState, 'status'>): void {
    this.current = { attempt: 0, retryAt: null, reason: null, ...state };
    for (const listener of [...this.stateListeners]) listener(this.current);
  }

  onEvent(listener: (envelope: EventEnvelope) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  state(): ConnectionState {
    return this.current;
  }

  reconnect(): void {
    this.reconnects++;
  }

  close(): void {}
}

/** Lets pending promise callbacks (the sync layer's fetches) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
