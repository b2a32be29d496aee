/**
 * `WebSocket /api/v1/events`: the same events as the SSE stream, one JSON message each
 * (`{ id, event, timestamp, payload }`), with the same filters and resume (`?lastEventId=`, since a
 * browser's WebSocket cannot send headers). The socket is for listening: messages from the client
 * are ignored. A client that falls more than the send buffer's limit behind is sent a `gap`
 * message (reason `slow`, with the last event id it was sent) and the socket is closed (1013, try
 * again later): it reconnects with `?lastEventId=` and gets the rest from the log (broadcast.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventsQuerySchema, type ApiEvent } from '../../../../shared/rest.js';
import type { Engine } from '../../../engine/index.js';
import { startSocketHeartbeat } from '../../socket-heartbeat.js';
import { checkScope, principalOf, type ApiAccessHooks } from '../access.js';
import { ApiFailure, toFailure, validationFailure } from '../errors.js';
import type { Broadcaster, StreamSink, Transport } from './broadcast.js';
import type { GapEvent } from './event-log.js';
import { readStreamRequest } from './filter.js';

export const eventsSocketPath = '/api/v1/events';

const pingIntervalMs = 30_000;

/** One JSON text message per event, made once however many sockets send it. */
export const socketTransport: Transport = {
  name: 'ws',
  joins: false,
  frame: (event: ApiEvent | GapEvent) => Buffer.from(JSON.stringify(event)),
};

/** A stream's writes onto its WebSocket (a class: thousands are open at once, see stream.ts). */
class SocketSink implements StreamSink {
  constructor(private readonly client: WebSocket) {}

  pending(): number {
    return this.client.bufferedAmount;
  }

  write(payload: Buffer | readonly Buffer[], flushed?: () => void): void {
    const messages = payload as readonly Buffer[];
    messages.forEach((message, index) => this.client.send(message, { binary: false }, index === messages.length - 1 && flushed ? () => flushed() : undefined));
  }

  end(last: Buffer): void {
    this.client.send(last, { binary: false });
    // ws cuts the connection itself if the client does not answer the close within 30 s.
    this.client.close(1013, 'fell behind; reconnect with lastEventId');
  }

  close(): void {
    this.client.terminate();
  }
}

export interface EventSockets {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

export function createEventSockets(engine: Engine, streams: Broadcaster, hooks: ApiAccessHooks): EventSockets {
  // Clients send nothing worth reading: a small payload limit keeps a hostile one from making us buffer.
  const server = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const heartbeat = startSocketHeartbeat(() => server.clients, pingIntervalMs);

  return {
    async handleUpgrade(request, socket, head) {
      let stream;
      try {
        await checkScope(await principalOf(request, hooks), 'read', request, hooks);
        const url = new URL(request.url ?? '/', 'http://localhost');
        const parsed = eventsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) throw validationFailure('query', parsed.error);
        stream = await readStreamRequest(engine, parsed.data, undefined);
      } catch (error) {
        refuse(socket, toFailure(error));
        return;
      }
      const { filter, lastId } = stream;
      server.handleUpgrade(request, socket, head, (client) => {
        heartbeat.watch(client);
        client.on('error', () => client.terminate());
        const unsubscribe = streams.add(new SocketSink(client), socketTransport, filter, lastId);
        client.on('close', unsubscribe);
      });
    },
    async close() {
      heartbeat.stop();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An upgrade refused in the envelope's words, written straight onto the socket. */
function refuse(socket: Duplex, failure: ApiFailure): void {
  const body = JSON.stringify({ success: false, data: null, error: failure.toBody(), requestId: randomUUID(), timestamp: new Date().toISOString(), processingTime: 0 });
  const headers = Object.entries(failure.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${failure.status} ${failure.code}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
