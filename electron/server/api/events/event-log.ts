/**
 * The API's numbered record of the engine's events, so a client that reconnects with
 * `Last-Event-ID` is sent what it missed. Ids count up from 1 for this server's life; the newest
 * `capacity` events are kept. A client whose id is older than the oldest kept (or from an earlier
 * server) is told it has a gap, so it reads the state afresh instead of trusting a partial replay.
 */
import type { EventEnvelope, EventName } from '../../../../shared/api.js';
import type { ApiEvent } from '../../../../shared/rest.js';
import type { Engine } from '../../../engine/index.js';

/** Terminal bytes go to the client attached to that terminal over /rpc, not to every listener. */
const unrecorded: ReadonlySet<EventName> = new Set(['terminal.data']);

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
  /** Events after `lastId` that pass the filter; a gap when some are no longer kept. */
  since(lastId: number, filter: EventFilter): Replay;
  /** Live events from now on; returns the unsubscribe. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  readonly lastId: number;
  close(): void;
}

export function createEventLog(engine: Pick<Engine, 'onAny'>, capacity = 10_000): EventLog {
  const kept: ApiEvent[] = [];
  const listeners = new Set<(event: ApiEvent) => void>();
  let lastId = 0;

  const stop = engine.onAny((envelope: EventEnvelope) => {
    if (unrecorded.has(envelope.event)) return;
    lastId += 1;
    const event: ApiEvent = { id: String(lastId), event: envelope.event, timestamp: new Date().toISOString(), payload: envelope.payload };
    kept.push(event);
    if (kept.length > capacity) kept.splice(0, kept.length - capacity);
    for (const listener of listeners) listener(event);
  });

  return {
    get lastId() {
      return lastId;
    },
    since(after, filter) {
      const oldest = kept.length > 0 ? Number(kept[0]!.id) : lastId + 1;
      // An id beyond ours was given by an earlier server: everything since its restart is unknown.
      const gap = after > lastId || after < oldest - 1;
      const start = gap ? 0 : kept.findIndex((event) => Number(event.id) > after);
      const events = start < 0 ? [] : kept.slice(start).filter((event) => matches(event, filter));
      return { events, gap };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      stop();
      listeners.clear();
    },
  };
}

/** Told to a client that resumes from an id older than the oldest kept, or from an earlier server. */
export interface GapEvent {
  id?: undefined;
  event: 'gap';
  data: { message: string; lastId: number };
}

export function gapEvent(after: number, lastId: number): GapEvent {
  return { event: 'gap', data: { message: `some events after ${after} are no longer kept (or came from an earlier server); read the state afresh`, lastId } };
}

export function matches(event: ApiEvent, filter: EventFilter): boolean {
  if (filter.types && !filter.types.has(event.event)) return false;
  if (filter.operation !== undefined) return runIdOf(event.payload) === filter.operation;
  return true;
}

/** The run an event is about: `runId` on run, step, workspace and output events; none on the others. */
function runIdOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const { runId } = payload as { runId?: unknown };
  return typeof runId === 'string' ? runId : undefined;
}
