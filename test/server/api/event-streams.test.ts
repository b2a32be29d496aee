/**
 * The event streams' send buffers and fan-out, over real HTTP and WebSocket on loopback with a real
 * engine: a client that stops reading is sent a `gap` while what waits for it stays under the
 * stream's limit, and reconnecting from the gap's id gets what it missed from the log; an event
 * for one operation is never offered to the streams following another.
 *
 * The flood comes from an event bus of the test's own, merged into what the API hears from the
 * engine: one 8 KB step.output per turn of the event loop, so each turn's batch is one event
 * whatever the machine's load (a real step's output batches grow when the server is busy, and a
 * batch bigger than the limit is written whole to a stream with nothing waiting).
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, Operation } from '../../../shared/rest.js';
import { createEngine, type Engine } from '../../../electron/engine/index.js';
import { createEventBus, type EventBus } from '../../../electron/engine/events/index.js';
import { createRestApi, type RestApi } from '../../../electron/server/api/index.js';
import { makeTempDir } from '../web/helpers.js';
import { openSse } from './sse-client.js';

const limit = 64 * 1024;
let root: string;
let engine: Engine;
let flood: EventBus;
let api: RestApi;
let server: Server;
let port: number;

beforeAll(async () => {
  root = makeTempDir('event-streams');
  engine = await createEngine({ dataDir: join(root, 'data'), host: 'server', killGraceMs: 150 });
  flood = createEventBus();
  const heard = Object.assign(Object.create(engine) as Engine, {
    onAny: (listener: Parameters<Engine['onAny']>[0]) => {
      const stops = [engine.onAny(listener), flood.onAny(listener)];
      return () => stops.forEach((stop) => stop());
    },
  });
  // A record big enough to hold the whole flood, so a reconnect finds what it missed.
  api = createRestApi({ engine: heard, events: { maxPendingBytes: limit, log: { events: 1_000_000, bytes: 1024 ** 3 } } });
  server = createServer((request, response) => void api.handle(request, response, { session: true }));
  server.on('upgrade', (request, socket, head) => void api.handleUpgrade(request, socket, head, { session: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await api.close();
  await new Promise((resolve) => server.close(resolve));
  await engine.close();
});

const turn = () => new Promise((resolve) => setImmediate(resolve));
const chunk = 'x'.repeat(8 * 1024);

/**
 * Emits step.output, one per turn, until the one stream of `transport` is dropped, then a hundred
 * more (which it misses); the most that waited for it, read after every write.
 */
async function floodUntilDropped(transport: string): Promise<{ peak: number; emitted: number }> {
  const waiting = () => api.eventStreams().streams.find((candidate) => candidate.transport === transport);
  let peak = 0;
  let emitted = 0;
  for (let stream = waiting(); stream; stream = waiting()) {
    peak = Math.max(peak, stream.pendingBytes, stream.peakPendingBytes);
    if (emitted > 20_000) throw new Error(`160 MB sent and the stream is still open (${stream.pendingBytes} bytes waiting)`);
    flood.emit('step.output', { runId: 'flood', step: 1, attempt: 1, data: chunk });
    emitted++;
    await turn();
  }
  for (let more = 0; more < 100; more++, emitted++) {
    flood.emit('step.output', { runId: 'flood', step: 1, attempt: 1, data: chunk });
    await turn();
  }
  return { peak, emitted };
}

interface Message {
  id?: string;
  event?: string;
  data: string;
}

function parseSse(text: string): Message[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const message: Message = { data: '' };
      for (const line of block.split('\n')) {
        const [field, value] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)];
        if (field === 'id' || field === 'event' || field === 'data') message[field] = value;
      }
      return message;
    });
}

describe('an event stream whose client stops reading', () => {
  it('SSE: is sent a gap with its last event id, what waits stays under the limit, and a reconnect from that id gets the rest', async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/v1/events/stream?type=step.output HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const chunks: Buffer[] = [];
    socket.on('data', (data: Buffer) => chunks.push(data));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await expect.poll(() => Buffer.concat(chunks).includes('\r\n\r\n'), { timeout: 30_000 }).toBe(true);
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 200/);
    socket.pause();

    const { peak, emitted } = await floodUntilDropped('sse');
    expect(peak).toBeLessThanOrEqual(limit);
    expect(api.eventStreams().slow).toBe(1);

    socket.resume();
    await closed;
    const body = Buffer.concat(chunks).toString('utf8');
    const messages = parseSse(body.slice(body.indexOf('\r\n\r\n') + 4));
    const gap = messages.at(-1)!;
    expect(gap.event).toBe('gap');
    expect(gap.id).toBeUndefined();
    const told = JSON.parse(gap.data) as { reason: string; lastEventId: number; lastId: number };
    const delivered = messages.filter((message) => message.event === 'step.output');
    expect(told).toMatchObject({ reason: 'slow', lastEventId: Number(delivered.at(-1)!.id) });
    // It missed some: the flood went on after its last one.
    const missed = emitted - delivered.length;
    expect(missed).toBeGreaterThan(0);

    const resumed = await openSse(`http://127.0.0.1:${port}/api/v1/events/stream?type=step.output`, { 'last-event-id': String(told.lastEventId) });
    let count = 0;
    const replayed = await resumed.until(() => ++count === missed, 60_000);
    resumed.close();
    expectFollowOn(replayed.map((message) => Number(message.id)), told.lastEventId);
  }, 240_000);

  it('WebSocket: is sent a gap with its last event id and closed, what waits stays under the limit, and a reconnect gets the rest', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/api/v1/events?type=step.output`);
    const messages: ApiEvent[] = [];
    client.on('message', (data) => messages.push(JSON.parse(String(data)) as ApiEvent));
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    // The socket under the WebSocket stops reading, as a stalled client would.
    const raw = (client as unknown as { _socket: Socket })._socket;
    raw.pause();

    const { peak, emitted } = await floodUntilDropped('ws');
    expect(peak).toBeLessThanOrEqual(limit);

    raw.resume();
    expect(await closed).toBe(1013);
    const gap = messages.at(-1) as unknown as { event: string; data: { reason: string; lastEventId: number } };
    expect(gap.event).toBe('gap');
    const delivered = messages.filter((message) => message.event === 'step.output');
    expect(gap.data).toMatchObject({ reason: 'slow', lastEventId: Number(delivered.at(-1)!.id) });
    const missed = emitted - delivered.length;
    expect(missed).toBeGreaterThan(0);

    const again = new WebSocket(`ws://127.0.0.1:${port}/api/v1/events?type=step.output&lastEventId=${gap.data.lastEventId}`);
    const replayed: ApiEvent[] = [];
    again.on('message', (data) => replayed.push(JSON.parse(String(data)) as ApiEvent));
    await expect.poll(() => replayed.length, { timeout: 60_000 }).toBe(missed);
    again.close();
    expectFollowOn(replayed.map((event) => Number(event.id)), gap.data.lastEventId);
  }, 240_000);
});

describe('fan-out', () => {
  it('offers an event for one operation only to the streams that follow it, checking no other operation\'s streams', async () => {
    const start = async (name: string, command: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/operations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: root }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { data: Operation }).data.id;
    };
    const other = await start('followed by many', 'echo done');
    expect(await engine.waitForRun(other)).toBe('succeeded');
    // Forty streams on the other operation, in eight groups (different event types).
    const types = ['run.updated', 'step.updated', 'step.output', 'run.updated,step.updated', 'step.updated,step.output', 'run.updated,step.output', 'approval.updated', 'run.updated,step.updated,step.output'];
    const others = await Promise.all(Array.from({ length: 40 }, (_, index) => openSse(`http://127.0.0.1:${port}/api/v1/events/stream?operation=${other}&type=${types[index % types.length]}`, {})));
    // Until a stream follows it, an event for the next operation has no group to be checked against.
    const checksBefore = api.eventStreams().checks;
    const watched = await start('followed by one', 'sleep 0.5; echo one; echo two');
    const mine = await openSse(`http://127.0.0.1:${port}/api/v1/events/stream?operation=${watched}`, {});

    const seen = await mine.until((message) => message.event === 'run.updated' && (JSON.parse(message.data) as ApiEvent & { payload: { status: string } }).payload.status === 'succeeded', 60_000);
    await turn();
    const stats = api.eventStreams();
    mine.close();
    for (const stream of others) stream.close();

    const followers = stats.streams.filter((stream) => stream.filter.operation === other);
    const follower = stats.streams.find((stream) => stream.filter.operation === watched)!;
    expect(followers).toHaveLength(40);
    expect(followers.every((stream) => stream.offered === 0)).toBe(true);
    expect(follower.offered).toBeGreaterThanOrEqual(seen.length);
    // One check per event, for the one group following it: none against the eight groups of the other operation.
    expect(stats.checks - checksBefore).toBe(follower.offered);
  }, 120_000);
});

/** Ids that carry on after `after`, in order, none twice. */
function expectFollowOn(ids: number[], after: number): void {
  expect(ids[0]).toBeGreaterThan(after);
  expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
}
