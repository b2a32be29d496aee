/**
 * `GET /api/v1/events/stream`: the engine's events as Server-Sent Events, each with its id. A
 * client that reconnects with `Last-Event-ID` first gets what it missed (or a `gap` event when that
 * is no longer kept), then live events. A client that falls more than the send buffer's limit
 * behind is sent a `gap` (reason `slow`) and the stream ends: an EventSource reconnects on its own
 * with its last id and gets the rest from the log (broadcast.ts).
 *
 * Hono validates and authorizes the request; the stream itself is written straight onto Node's
 * response. Hono's streamSSE kept a web ReadableStream, a TransformStream, their readers and a
 * promise chain alive for every open stream, and wrote each event through all of them, then
 * framed it as a chunk: for thousands of idle streams, most of their memory and time.
 */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { apiEventSchema, eventsQuerySchema } from '../../../../shared/rest.js';
import type { ApiEvent } from '../../../../shared/rest.js';
import { apiRoute, errorResponses, notFoundResponse, type ApiApp, type RouteDeps } from '../routes/route.js';
import { defaultMaxPendingBytes, type StreamSink, type Transport } from './broadcast.js';
import type { GapEvent } from './event-log.js';
import { readStreamRequest } from './filter.js';

/** How long a stream ended for being slow may take to read its last bytes before it is cut. */
const lingerMs = 30_000;
const keepAliveFrame = Buffer.from(': keep-alive\n\n');

/**
 * Hono's answer for a response written straight onto Node's, which @hono/node-server then leaves
 * alone: one per request, since the pipeline adds headers to it after the route (the RateLimit
 * ones) and the shared RESPONSE_ALREADY_SENT would collect every request's. Made with the class
 * that constant was made with: node-server's own lightweight Response would not be recognized.
 */
const AlreadySent = RESPONSE_ALREADY_SENT.constructor as typeof Response;
const alreadySentHeader = [...RESPONSE_ALREADY_SENT.headers.keys()][0]!;

/**
 * An event's SSE message (`event`, `data`, `id`), made once however many streams send it. JSON
 * has no raw line breaks, so the data is one `data:` line. A gap has no id of its own: the
 * client's last id stays the last event it really got.
 */
export const sseTransport: Transport = {
  name: 'sse',
  joins: true,
  frame(event: ApiEvent | GapEvent): Buffer {
    const data = JSON.stringify('data' in event ? event.data : event);
    return Buffer.from(`event: ${event.event}\ndata: ${data}\n${event.id !== undefined ? `id: ${event.id}\n` : ''}\n`);
  },
};

/**
 * A stream's writes onto its Node response. A class, not an object of closures: thousands are
 * open at once, and each closure costs its own context (and, in the built CLI, a name property).
 */
class SseSink implements StreamSink {
  constructor(private readonly outgoing: ServerResponse) {}

  /** What the response and its socket hold that the kernel has not taken. */
  pending(): number {
    return this.outgoing.writableLength;
  }

  write(payload: Buffer | readonly Buffer[], flushed?: () => void): void {
    this.outgoing.write(payload as Buffer, flushed && (() => flushed()));
  }

  end(last: Buffer): void {
    const { outgoing } = this;
    outgoing.end(last);
    const linger = setTimeout(() => outgoing.destroy(), lingerMs);
    linger.unref();
    outgoing.once('close', () => clearTimeout(linger));
  }

  keepAlive(): void {
    this.outgoing.write(keepAliveFrame);
  }

  close(): void {
    this.outgoing.destroy();
  }
}

export function registerEventStream(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks, streams } = deps;
  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: '/api/v1/events/stream',
      tags: ['events'],
      summary: 'Events as Server-Sent Events, resumable with Last-Event-ID; filter by operation and type',
      description: `Each event is one SSE message: \`id\`, \`event\` (its name) and \`data\` (the Event as JSON). A client given \`Last-Event-ID\` (or \`?lastEventId=\`) is first sent the events after it that the server still keeps. A \`gap\` message (no id; data \`{ reason, message, lastEventId, lastId }\`) says events were missed: reason \`not-kept\` when the server no longer holds those after \`lastEventId\` (read the state afresh); reason \`slow\` when more than the stream's send buffer (${defaultMaxPendingBytes / 1024 / 1024} MiB) waited for the client, after which the stream ends: reconnect with Last-Event-ID \`lastEventId\` to be sent the rest. A comment line every 15 s keeps a quiet stream open.`,
      request: { query: eventsQuerySchema },
      responses: {
        200: { description: 'One SSE message per event; `gap` messages as described above.', content: { 'text/event-stream': { schema: apiEventSchema } } },
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { filter, lastId } = await readStreamRequest(engine, c.req.valid('query'), c.req.header('last-event-id'));
      const outgoing = c.env.outgoing;
      // What the pipeline set before the route (request id, cache), without making it Hono's answer.
      const before = c.newResponse(null).headers;
      const answer = new AlreadySent(null, { headers: RESPONSE_ALREADY_SENT.headers });
      // The head goes out once the pipeline is done with the answer (it adds the RateLimit headers on the way back).
      setImmediate(() => {
        // Gone while its filter was read: nothing to follow.
        if (outgoing.destroyed) return;
        for (const headers of [before, answer.headers]) headers.forEach((value, name) => outgoing.setHeader(name, value));
        outgoing.removeHeader(alreadySentHeader);
        // Delimited by the connection's end instead of chunked: one socket write per batch of events.
        outgoing.useChunkedEncodingByDefault = false;
        outgoing.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' });
        outgoing.flushHeaders();
        const remove = streams.add(new SseSink(outgoing), sseTransport, filter, lastId);
        outgoing.once('close', remove);
      });
      return answer;
    },
  );
}
