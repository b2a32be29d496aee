import type { EventName, EventPayload, MethodName, MethodParams, MethodResult, PhotonClient } from '../../shared/api.js';
import { PhotonError } from '../../shared/errors.js';
import type { Transport } from './transport.js';

/** The contract as the renderer sees it, whatever the transport underneath. */
export interface RendererClient extends PhotonClient {
  readonly transport: Transport;
}

/**
 * Typed calls and event subscriptions over any transport. A failed call rejects with a
 * PhotonError carrying the engine's code and message, so the UI can show both.
 */
export function createClient(transport: Transport): RendererClient {
  let nextId = 1;
  const handlers = new Map<EventName, Set<(payload: never) => void>>();

  transport.onEvent((envelope) => {
    const set = handlers.get(envelope.event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (payload: unknown) => void)(envelope.payload);
      } catch (error) {
        // One broken view must not stop the others from hearing the event.
        console.error(`photon: a handler of ${envelope.event} failed`, error);
      }
    }
  });

  const call = async <M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> => {
    const id = nextId++;
    const reply = await transport.request(params === undefined ? { id, method } : { id, method, params });
    if (reply.ok) return reply.value as MethodResult<M>;
    const { code, message, details } = reply.error;
    throw new PhotonError(code, message, details);
  };

  return {
    transport,
    call: call as PhotonClient['call'],
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const entry = handler as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
}
