import type { ErrorBody } from '../errors.js';
import type { EventName, EventPayload } from './events.js';

/** Wire envelopes: the same over IPC and WebSocket. */
export interface RequestEnvelope {
  id: number | string;
  method: string;
  params?: unknown;
}
export type ReplyEnvelope =
  | { id: number | string | null; ok: true; value: unknown }
  | { id: number | string | null; ok: false; error: ErrorBody };
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

/** The largest request a host accepts; larger ones get an `invalid` reply. */
export const maxMessageBytes = 1024 * 1024;

/**
 * The longest request id a host echoes back in its reply. A longer one is refused with id null, so
 * a client's megabyte-long id is not sent back to it (an error reply stays small on every wire).
 */
export const maxRequestIdChars = 128;

/** An unknown method as an error message names it: quoted and cut to 100 characters, or only its kind if it is no name at all. */
export function quotedMethodName(method: unknown): string {
  if (typeof method !== 'string') return `(${method === null ? 'null' : Array.isArray(method) ? 'an array' : typeof method}, not a name)`;
  return JSON.stringify(method.length > 100 ? `${method.slice(0, 100)}…` : method);
}
