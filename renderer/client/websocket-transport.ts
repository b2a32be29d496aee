import { isEventName, maxMessageBytes, type EventEnvelope, type ReplyEnvelope, type RequestEnvelope } from '../../shared/api.js';
import { PhotonError } from '../../shared/errors.js';
import { binaryTerminalDataQuery, decodeTerminalData, encodeTerminalAck, type TerminalBytes } from '../../shared/terminal-frames.js';
import type { ConnectionState, Transport } from './transport.js';

/** The part of the browser's WebSocket this transport uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  /** 'arraybuffer': binary frames (terminal output) arrive as ArrayBuffers. */
  binaryType?: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface WebSocketTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  backoff?: Backoff;
  /** 0..1; spreads reconnects of many tabs apart. Math.random by default. */
  random?: () => number;
  /**
   * Explains a failed connection in words when it can (a browser hides a refused upgrade's HTTP
   * status from the page), e.g. that the token was not accepted. Null when it has no better answer.
   */
  diagnose?: () => Promise<string | null>;
}

export const defaultBackoff: Backoff = { initialMs: 500, maxMs: 10_000, factor: 2 };
const socketOpen = 1;

/** Delay before reconnect attempt `attempt` (1-based): exponential, capped, with up to 25% jitter taken off. */
export function backoffDelay(backoff: Backoff, attempt: number, random: number): number {
  const raw = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - 0.25 * random));
}

/**
 * The WebSocket URL of `/rpc` on the page's own origin (the server checks the Origin), asking for
 * terminal output in binary frames, which spare both ends a JSON copy of every batch and the page
 * a string per batch.
 */
export function rpcUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?${binaryTerminalDataQuery.name}=${binaryTerminalDataQuery.value}`;
}

interface Pending {
  resolve: (reply: ReplyEnvelope) => void;
  reject: (error: PhotonError) => void;
}

/**
 * The contract over a WebSocket. Reconnects with backoff after a loss; calls in flight when the
 * link drops fail with `unavailable` (they may or may not have taken effect), and calls made while
 * it is down fail at once rather than wait in a queue the user cannot see.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoff ?? defaultBackoff;
  const random = options.random ?? Math.random;
  const eventListeners = new Set<(envelope: EventEnvelope) => void>();
  const bytesListeners = new Set<(output: TerminalBytes) => void>();
  /** A server that sends terminal output in binary frames takes acknowledgements in them too (shared/terminal-frames.ts). */
  const binaryAcks = new URL(options.url, 'http://localhost').searchParams.get(binaryTerminalDataQuery.name) === binaryTerminalDataQuery.value;
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const pending = new Map<RequestEnvelope['id'], Pending>();
  let state: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null, reason: null };
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closedByUser = false;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of [...stateListeners]) listener(state);
  };

  const failPending = (message: string) => {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new PhotonError('unavailable', message));
  };

  const connect = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (closedByUser) return;
    if (state.status !== 'connecting') setState({ ...state, status: 'connecting', retryAt: null });
    let current: SocketLike;
    try {
      current = createSocket(options.url);
    } catch (error) {
      scheduleRetry(error instanceof Error ? error.message : String(error));
      return;
    }
    socket = current;
    current.binaryType = 'arraybuffer';
    current.onopen = () => {
      if (socket !== current) return;
      setState({ status: 'open', attempt: 0, retryAt: null, reason: null });
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    current.onerror = () => {
      // A close event always follows; it carries the code.
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      const wasOpen = state.status === 'open';
      failPending('the connection to Photon was lost before the reply came; the action may or may not have happened');
      if (closedByUser) return;
      const reason = wasOpen
        ? `connection lost${event.reason ? `: ${event.reason}` : ''}`
        : `cannot reach Photon at ${options.url}${event.reason ? `: ${event.reason}` : ''}`;
      scheduleRetry(reason);
      if (!wasOpen) explain(state.attempt);
    };
  };

  const explain = (attempt: number) => {
    if (!options.diagnose) return;
    options.diagnose().then(
      (reason) => {
        // Only while this failure is still the news: not after a later attempt or an open link.
        if (reason && state.status === 'closed' && state.attempt === attempt && !closedByUser) setState({ ...state, reason });
      },
      () => {},
    );
  };

  const scheduleRetry = (reason: string) => {
    const attempt = state.attempt + 1;
    const delay = backoffDelay(backoff, attempt, random());
    setState({ status: 'closed', attempt, retryAt: Date.now() + delay, reason });
    retryTimer = setTimeout(connect, delay);
  };

  const emit = (envelope: EventEnvelope) => {
    for (const listener of [...eventListeners]) listener(envelope);
  };

  const receive = (data: unknown) => {
    if (data instanceof ArrayBuffer) {
      let output: TerminalBytes;
      try {
        output = decodeTerminalData(new Uint8Array(data));
      } catch (error) {
        console.error(`photon: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      for (const listener of [...bytesListeners]) {
        try {
          listener(output);
        } catch (error) {
          // One broken view must not stop the others from getting their output.
          console.error('photon: a listener of terminal output failed', error);
        }
      }
      return;
    }
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.error('photon: a message from the server was not JSON');
      return;
    }
    if (message === null || typeof message !== 'object') return;
    const record = message as Record<string, unknown>;
    if ('event' in record) {
      if (!isEventName(record.event)) return;
      emit(record as unknown as EventEnvelope);
      return;
    }
    const reply = record as unknown as ReplyEnvelope;
    const call = reply.id === null || reply.id === undefined ? undefined : pending.get(reply.id);
    if (!call) {
      // Only a request the server could not read gets a reply without an id; ours are checked before sending.
      console.error('photon: a reply matched no call', reply);
      return;
    }
    pending.delete(reply.id!);
    call.resolve(reply);
  };

  connect();

  return {
    kind: 'websocket',
    request(envelope) {
      const current = socket;
      if (!current || state.status !== 'open' || current.readyState !== socketOpen) {
        return Promise.reject(new PhotonError('unavailable', 'not connected to Photon; it reconnects by itself, try again in a moment'));
      }
      const text = JSON.stringify(envelope);
      if (new TextEncoder().encode(text).length > maxMessageBytes) {
        return Promise.reject(new PhotonError('invalid', `this request is too large to send (over ${maxMessageBytes} bytes)`));
      }
      return new Promise<ReplyEnvelope>((resolve, reject) => {
        pending.set(envelope.id, { resolve, reject });
        try {
          current.send(text);
        } catch (error) {
          pending.delete(envelope.id);
          reject(new PhotonError('unavailable', `could not send to Photon: ${error instanceof Error ? error.message : String(error)}`));
        }
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    acknowledgeTerminal(id, chars) {
      const current = socket;
      if (!binaryAcks || !current || state.status !== 'open' || current.readyState !== socketOpen) return false;
      try {
        current.send(encodeTerminalAck(id, chars));
        return true;
      } catch {
        return false;
      }
    },
    onTerminalBytes(listener) {
      bytesListeners.add(listener);
      return () => bytesListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    state: () => state,
    reconnect() {
      if (state.status === 'closed' && !closedByUser) connect();
    },
    close() {
      closedByUser = true;
      clearTimeout(retryTimer);
      const current = socket;
      socket = null;
      failPending('the connection to Photon was closed');
      current?.close(1000, 'closed by the page');
      setState({ status: 'closed', attempt: 0, retryAt: null, reason: 'closed' });
    },
  };
}
