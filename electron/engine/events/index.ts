/**
 * Events: the engine's one outlet for things that happened. Services emit here after the
 * database holds the change; hosts subscribe and forward to their clients. Nobody reaches for a
 * window or a socket from inside the engine.
 */
import type { EventEnvelope, EventName, EventPayload } from '../../../shared/api.js';

type AnyListener = (envelope: EventEnvelope) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  /** Every event, as its wire envelope; what hosts forward. */
  onAny(listener: AnyListener): () => void;
  /** Whether anyone listens, so costly payloads (terminal text) are only built when wanted. */
  hasListeners(event: EventName): boolean;
}

export function createEventBus(): EventBus {
  const byEvent = new Map<EventName, Set<(payload: never) => void>>();
  const any = new Set<AnyListener>();

  return {
    emit(event, payload) {
      for (const handler of byEvent.get(event) ?? []) safely(() => (handler as (p: typeof payload) => void)(payload));
      if (any.size > 0) {
        const envelope = { event, payload } as EventEnvelope;
        for (const listener of any) safely(() => listener(envelope));
      }
    },
    on(event, handler) {
      let set = byEvent.get(event);
      if (!set) byEvent.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => void set.delete(handler as (payload: never) => void);
    },
    onAny(listener) {
      any.add(listener);
      return () => void any.delete(listener);
    },
    hasListeners(event) {
      return any.size > 0 || (byEvent.get(event)?.size ?? 0) > 0;
    },
  };
}

// A listener's bug must not stop the engine or the other listeners.
function safely(work: () => void): void {
  try {
    work();
  } catch (error) {
    console.error('photon: an event listener failed:', error);
  }
}
