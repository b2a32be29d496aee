/**
 * The API's numbered record of the engine's events, so a client that reconnects with
 * `Last-Event-ID` is sent what it missed. Ids count up from 1 for this server's life; the newest
 * events are kept, up to a count and a size (step output is what makes them big).
 *
 * It listens to the engine only while an event client is connected, and for a resume window after
 * the last one leaves: while nobody listens the engine skips building costly payloads (output,
 * per-step summaries), and a client gone longer than the window reads the state afresh anyway.
 * A client whose id is older than the oldest kept, from before a time nobody listened, or from an
 * earlier server is told it has a gap, instead of trusting a partial replay.
 */
import type { EventEnvelope, EventName } from '../../../../shared/api.js';
import type { ApiEvent } from '../../../../shared/rest.js';
import type { Engine } from '../../../engine/index.js';

/** Terminal bytes go to the client attached to that terminal over /rpc, not to every listener. */
const unrecorded: ReadonlySet<EventName> = new Set(['terminal.data']);
/** Sent live with an id but not kept for replay: each one supersedes the last (once a second while anything runs). */
const transient: ReadonlySet<EventName> = new Set(['metrics.tick']);

export interface EventLogLimits {
  /** Events kept for replay. */
  events: number;
  /** About this many bytes of kept payloads; step output is what grows. */
  bytes: number;
}

export const defaultEventLogLimits: EventLogLimits = { events: 10_000, bytes: 16 * 1024 * 1024 };

/** How long the record goes on after the last client leaves, so a dropped connection can resume. */
export const defaultResumeWindowMs = 5 * 60_000;

export interface EventFilter {
  /** Only events about this run (its id or a unique prefix is resolved by the caller). */
  operation?: string;
  types?: ReadonlySet<string>;
}

export interface Replay {
  events: ApiEvent[];
  /** True when events after `lastId` were dropped before the client came back. */
  gap: boolean;
}

export interface EventLog {
  /** Events after `lastId` that pass the filter (the first `max` of them); a gap when some are no longer kept. */
  since(lastId: number, filter: EventFilter, max?: number): Replay;
  /** Live events from now on (the record runs while anyone subscribes); returns the unsubscribe. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  readonly lastId: number;
  close(): void;
}

export function createEventLog(engine: Pick<Engine, 'onAny'>, limits: EventLogLimits = defaultEventLogLimits, resumeWindowMs = defaultResumeWindowMs): EventLog {
  const kept: { event: ApiEvent; bytes: number }[] = [];
  let keptBytes = 0;
  /** Kept events up to this id were let go of. */
  let dropped = 0;
  /** The record stopped (nobody listened) after this id: whoever saw no later one missed what came then. */
  let blindAfter = -1;
  const listeners = new Set<(event: ApiEvent) => void>();
  let lastId = 0;
  let detach: (() => void) | undefined;
  let window: NodeJS.Timeout | undefined;

  const record = (envelope: EventEnvelope) => {
    if (unrecorded.has(envelope.event)) return;
    lastId += 1;
    const event: ApiEvent = { id: String(lastId), event: envelope.event, timestamp: new Date().toISOString(), payload: envelope.payload };
    if (!transient.has(envelope.event)) {
      const bytes = sizeOf(envelope);
      kept.push({ event, bytes });
      keptBytes += bytes;
      let excess = 0;
      while (kept.length - excess > limits.events || (keptBytes > limits.bytes && kept.length - excess > 1)) keptBytes -= kept[excess++]!.bytes;
      if (excess > 0) {
        kept.splice(0, excess);
        dropped = Math.max(dropped, Number(kept[0]!.event.id) - 1);
      }
    }
    for (const listener of listeners) listener(event);
  };

  const attach = () => {
    clearTimeout(window);
    window = undefined;
    if (detach) return;
    detach = engine.onAny(record);
  };

  const release = () => {
    if (listeners.size > 0 || !detach) return;
    clearTimeout(window);
    window = setTimeout(() => {
      window = undefined;
      detach?.();
      detach = undefined;
      blindAfter = lastId;
    }, resumeWindowMs);
    window.unref();
  };

  return {
    get lastId() {
      return lastId;
    },
    since(after, filter, max = Number.POSITIVE_INFINITY) {
      // An id beyond ours was given by an earlier server: everything since its restart is unknown.
      // Below `dropped`, kept events were let go (transient ones, never kept, are no gap).
      const gap = after > lastId || after < dropped || after <= blindAfter;
      const events: ApiEvent[] = [];
      // A client catching up asks again each time its connection drains: found by halving, not by a walk from the oldest.
      // Only an earlier server's id starts at the oldest kept: below `blindAfter` the events after the id are still ours,
      // and sent again from the oldest, a client asking step by step would be sent the same ones for ever.
      for (let index = after > lastId ? 0 : firstAfter(kept, after); index < kept.length && events.length < max; index++) {
        const { event } = kept[index]!;
        if (matches(event, filter)) events.push(event);
      }
      return { events, gap };
    },
    subscribe(listener) {
      listeners.add(listener);
      attach();
      return () => {
        listeners.delete(listener);
        release();
      };
    },
    close() {
      clearTimeout(window);
      detach?.();
      detach = undefined;
      listeners.clear();
    },
  };
}

/**
 * Told to a client that has missed events: `not-kept` when it resumed from an id older than the
 * oldest kept (or from an earlier server), so it should read the state afresh; `slow` when more
 * than its send buffer's limit waited for it, so the stream ends and it reconnects with
 * Last-Event-ID `lastEventId` to get the rest from the record. `lastId` is the newest event's id.
 * It has no id of its own: a client's last id stays the last event it really got.
 */
export interface GapEvent {
  id?: undefined;
  event: 'gap';
  data: { reason: 'not-kept' | 'slow'; message: string; lastEventId: number; lastId: number };
}

export function gapEvent(reason: GapEvent['data']['reason'], lastEventId: number, lastId: number, limitBytes = 0): GapEvent {
  const message =
    reason === 'not-kept'
      ? `some events after ${lastEventId} are no longer kept (or came from an earlier server); read the state afresh`
      : `more than ${limitBytes} bytes waited for this client; reconnect with Last-Event-ID ${lastEventId} for the events after it`;
  return { event: 'gap', data: { reason, message, lastEventId, lastId } };
}

/** What keeping an event costs, roughly: output text by its length, anything else a small record. */
function sizeOf(envelope: EventEnvelope): number {
  const payload = envelope.payload as { data?: unknown };
  return 256 + (typeof payload?.data === 'string' ? payload.data.length * 2 : 0);
}

export function matches(event: ApiEvent, filter: EventFilter): boolean {
  if (filter.types && !filter.types.has(event.event)) return false;
  if (filter.operation !== undefined) return runIdOf(event.payload) === filter.operation;
  return true;
}

/** Index of the first kept event whose id is above `after` (ids only grow). */
function firstAfter(kept: readonly { event: ApiEvent }[], after: number): number {
  let low = 0;
  let high = kept.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (Number(kept[middle]!.event.id) > after) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The run an event is about: `runId` on run, step, workspace and output events; none on the others. */
export function runIdOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const { runId } = payload as { runId?: unknown };
  return typeof runId === 'string' ? runId : undefined;
}
