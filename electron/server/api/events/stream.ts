/**
 * `GET /api/v1/events/stream`: the engine's events as Server-Sent Events, each with its id. A
 * client that reconnects with `Last-Event-ID` first gets what it missed (or a `gap` event when that
 * is no longer kept), then live events. A client that stops reading is cut off once more than
 * `maxClientBacklogChars` wait for it, rather than holding the server's memory: it reconnects and
 * resumes from its last id.
 */
import { streamSSE } from 'hono/streaming';
import { apiEventSchema, eventsQuerySchema } from '../../../../shared/rest.js';
import { apiRoute, errorResponses, notFoundResponse, type ApiApp, type RouteDeps } from '../routes/route.js';
import type { ApiEvent } from '../../../../shared/rest.js';
import { maxClientBacklogChars, replayAndFollow, type GapEvent } from './event-log.js';
import { readStreamRequest } from './filter.js';

/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const keepAliveMs = 15_000;

const encoder = new TextEncoder();
const frames = new WeakMap<ApiEvent | GapEvent, Uint8Array>();

/**
 * An event's SSE message (`event`, `data`, `id`: the order hono's writeSSE used), made once
 * however many streams send it: each stream used to stringify, format and encode every event
 * again, so a thousand open streams did a thousand times the work of one (and a server busy with
 * runs took minutes to open them, each new stream adding to what every event cost). JSON has no
 * raw line breaks, so the data is one `data:` line.
 */
function frameOf(event: ApiEvent | GapEvent): Uint8Array {
  let frame = frames.get(event);
  if (!frame) {
    const data = JSON.stringify('data' in event ? event.data : event);
    // A gap has no id of its own: the client's last id stays the last event it really got.
    frame = encoder.encode(`event: ${event.event}\ndata: ${data}\n${event.id !== undefined ? `id: ${event.id}\n` : ''}\n`);
    frames.set(event, frame);
  }
  return frame;
}

export function registerEventStream(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks, events } = deps;
  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: '/api/v1/events/stream',
      tags: ['events'],
      summary: 'Events as Server-Sent Events, resumable with Last-Event-ID; filter by operation and type',
      request: { query: eventsQuerySchema },
      responses: {
        200: { description: 'One SSE message per event: `id`, `event` (its name) and `data` (the Event as JSON). A `gap` event says some were missed.', content: { 'text/event-stream': { schema: apiEventSchema } } },
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { filter, lastId } = await readStreamRequest(engine, c.req.valid('query'), c.req.header('last-event-id'));
      c.header('X-Accel-Buffering', 'no');
      const outgoing = c.env.outgoing;
      return streamSSE(c, async (stream) => {
        // Bytes waiting for this client, in our queue and in Node's buffer for its socket.
        let queued = 0;
        let chain = Promise.resolve();
        let stop: () => void = () => undefined;
        const ended = new Promise<void>((resolve) => {
          stop = resolve;
          stream.onAbort(resolve);
        });
        const send = (event: ApiEvent | GapEvent) => {
          if (stream.aborted || outgoing.destroyed) return;
          if (queued + outgoing.writableLength > maxClientBacklogChars) {
            // Closing the connection is what frees what waits for it; the client resumes from its last id.
            outgoing.destroy();
            stop();
            return;
          }
          const frame = frameOf(event);
          queued += frame.length;
          chain = chain
            .then(() => stream.write(frame))
            .then(() => undefined, () => undefined)
            .finally(() => void (queued -= frame.length));
        };
        const unsubscribe = replayAndFollow(events, filter, lastId, send);
        const keepAlive = setInterval(() => {
          chain = chain.then(() => stream.write(': keep-alive\n\n')).then(() => undefined);
        }, keepAliveMs);
        try {
          await ended;
        } finally {
          clearInterval(keepAlive);
          unsubscribe();
        }
      });
    },
  );
}
