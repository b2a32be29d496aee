import type { EventEnvelope, ReplyEnvelope, RequestEnvelope } from '../../shared/api.js';
import type { TerminalBytes } from '../../shared/terminal-frames.js';

/** Where the link to the engine stands; the status bar shows it and the sync layer reacts to it. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed connection attempts since the last open link; 0 while open. */
  attempt: number;
  /** When the next connection attempt starts (ms since epoch), while closed and retrying. */
  retryAt: number | null;
  /** Why the link is not open, in words for the user. */
  reason: string | null;
}

/**
 * One way to reach the engine: the preload bridge inside Electron or a WebSocket in a browser.
 * A transport sends request envelopes and reports event envelopes and its own state; the typed
 * client on top knows nothing else about it.
 */
export interface Transport {
  readonly kind: 'bridge' | 'websocket';
  /** Resolves with the reply; rejects with a PhotonError ('unavailable') when the link fails first. */
  request(envelope: RequestEnvelope): Promise<ReplyEnvelope>;
  onEvent(listener: (envelope: EventEnvelope) => void): () => void;
  /**
   * Terminal output that came as bytes (the WebSocket's binary frames, shared/terminal-frames.ts):
   * it is not also an `onEvent` envelope, so xterm gets it without a string ever being made.
   * Absent where output comes only as `terminal.data` events (the desktop bridge).
   */
  onTerminalBytes?(listener: (output: TerminalBytes) => void): () => void;
  /**
   * Sends a `terminals.ack` that nobody answers (a binary frame on the WebSocket that takes
   * terminal output as bytes); false when this transport cannot, and the caller makes the call.
   */
  acknowledgeTerminal?(id: string, chars: number): boolean;
  onState(listener: (state: ConnectionState) => void): () => void;
  state(): ConnectionState;
  /** Tries to connect now instead of waiting for the next retry (no-op when open). */
  reconnect(): void;
  close(): void;
}

export const openState: ConnectionState = { status: 'open', attempt: 0, retryAt: null, reason: null };
