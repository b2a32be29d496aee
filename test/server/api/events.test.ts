/**
 * Events over real HTTP: the SSE stream and the WebSocket carry the engine's events from real runs,
 * each with an id; a client that reconnects with Last-Event-ID gets what it missed, in order.
 */
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, Operation } from '../../../shared/rest.js';
import { useApiHost } from './helpers.js';
import { openSse, type SseMessage } from './sse-client.js';

const api = useApiHost();
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  base = `http://127.0.0.1:${api.host.server.port}`;
  auth = { authorization: `Bearer ${api.host.server.token}` };
});

async function start(name: string, command: string): Promise<string> {
  const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { name, workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: api.host.root } });
  expect(answer.status).toBe(201);
  return answer.body.data!.id;
}

const endOf = (runId: string) => (message: SseMessage) => {
  if (message.event !== 'run.updated') return false;
  const event = JSON.parse(message.data) as ApiEvent;
  const payload = event.payload as { runId: string; status: string };
  return payload.runId === runId && payload.status !== 'running';
};

describe('GET /api/v1/events/stream (Server-Sent Events)', () => {
  it('streams an operation\'s events with ids, and replays the missed ones after Last-Event-ID', async () => {
    const stream = await openSse(`${base}/api/v1/events/stream`, auth);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const runId = await start('streamed', 'echo streamed-output');
    // Metrics ticks are sent live only (each supersedes the last), so they are not part of a replay.
    const seen = (await stream.until(endOf(runId))).filter((message) => message.event !== 'gap' && message.event !== 'metrics.tick');
    stream.close();

    const ids = seen.map((message) => Number(message.id));
    expect(ids.every((id, index) => Number.isInteger(id) && (index === 0 || id > ids[index - 1]!))).toBe(true);
    const events = seen.map((message) => JSON.parse(message.data) as ApiEvent);
    expect(events.map((event) => event.id)).toEqual(seen.map((message) => message.id));
    expect(events.map((event) => event.event)).toEqual(expect.arrayContaining(['run.updated', 'step.updated']));

    // As if the connection dropped after the first event: resume from its id.
    const resumed = await openSse(`${base}/api/v1/events/stream`, { ...auth, 'last-event-id': seen[0]!.id! });
    const replayed = (await resumed.until(endOf(runId))).filter((message) => message.event !== 'metrics.tick');
    resumed.close();
    expect(replayed.map((message) => message.id)).toEqual(seen.slice(1).map((message) => message.id));
    expect(replayed.map((message) => message.data)).toEqual(seen.slice(1).map((message) => message.data));
  });

  it('filters by operation and by event type', async () => {
    // Another client already follows everything, so the record holds the runs' events from their start.
    const everything = await openSse(`${base}/api/v1/events/stream`, auth);
    const first = await start('first', 'echo one');
    const second = await start('second', 'echo two');
    await everything.until(endOf(second));
    everything.close();
    const stream = await openSse(`${base}/api/v1/events/stream?operation=${second}&type=run.updated&lastEventId=0`, auth);
    const seen = await stream.until(endOf(second));
    stream.close();
    const events = seen.map((message) => JSON.parse(message.data) as ApiEvent);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.event === 'run.updated' && (event.payload as { runId: string }).runId === second)).toBe(true);
    expect(events.some((event) => (event.payload as { runId: string }).runId === first)).toBe(false);
  });

  it('starts a client that gives no id from now, without replaying the past', async () => {
    const earlier = await start('before the client', 'echo earlier');
    await api.host.engine.waitForRun(earlier);
    const watcher = await openSse(`${base}/api/v1/events/stream?type=run.updated`, auth);
    const later = await start('after the client', 'echo later');
    const seen = await watcher.until(endOf(later));
    watcher.close();
    const runIds = seen.map((message) => ((JSON.parse(message.data) as ApiEvent).payload as { runId: string }).runId);
    expect(runIds).not.toContain(earlier);
    expect(runIds).toContain(later);
  });

  it('answers with the headers every API answer has: the request id and, for a key, its RateLimit fields', async () => {
    const { secret } = await api.host.engine.call('keys.create', { name: 'stream reader', scope: 'read' });
    const stream = await openSse(`${base}/api/v1/events/stream`, { 'x-api-key': secret });
    stream.close();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(stream.headers.get('ratelimit')).toMatch(/^"key";r=\d+;t=\d+$/);
  });

  it('tells a client whose id it no longer has (an earlier server\'s) that it has a gap', async () => {
    const stream = await openSse(`${base}/api/v1/events/stream`, { ...auth, 'last-event-id': '999999999' });
    const first = await stream.next();
    stream.close();
    expect(first.event).toBe('gap');
    expect(first.id).toBeUndefined();
    expect(JSON.parse(first.data)).toMatchObject({ message: expect.stringContaining('read the state afresh') });
  });

  it('refuses a bad type, an unknown operation, a bad Last-Event-ID and a missing token in the envelope', async () => {
    const badType = await api.call('GET', '/api/v1/events/stream?type=run.updated,run.exploded');
    expect(badType.status).toBe(400);
    expect(badType.body.error?.issues).toEqual([{ place: 'query.type', message: expect.any(String) }]);
    expect(badType.body.error?.message).toContain('run.exploded');
    expect((await api.call('GET', '/api/v1/events/stream?operation=no-such-run')).status).toBe(404);
    const badResume = await api.call('GET', '/api/v1/events/stream', { headers: { 'last-event-id': 'yesterday' } });
    expect(badResume.status).toBe(400);
    expect(badResume.body.error?.issues?.[0]?.place).toBe('headers.last-event-id');
    expect((await api.call('GET', '/api/v1/events/stream', { token: null })).status).toBe(401);
  });
});

describe('WebSocket /api/v1/events', () => {
  function open(query: string, headers: Record<string, string> = auth): Promise<{ socket: WebSocket; messages: ApiEvent[] } | { status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${api.host.server.port}/api/v1/events${query}`, { headers });
      const messages: ApiEvent[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ApiEvent));
      socket.once('open', () => resolve({ socket, messages }));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        socket.on('error', () => undefined);
      });
      socket.once('error', reject);
    });
  }

  it('sends each event as JSON with its id, and resumes after lastEventId', async () => {
    const opened = await open('');
    if (!('socket' in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
    const runId = await start('over ws', 'echo ws');
    const ended = () => opened.messages.find((event) => event.event === 'run.updated' && (event.payload as { runId: string; status: string }).runId === runId && (event.payload as { status: string }).status !== 'running');
    await expect.poll(ended, { timeout: 30_000 }).toBeDefined();
    opened.socket.close();
    const mine = opened.messages.filter((event) => (event.payload as { runId?: string }).runId === runId);
    expect(mine.length).toBeGreaterThan(1);

    const resumed = await open(`?operation=${runId}&lastEventId=${mine[0]!.id}`);
    if (!('socket' in resumed)) throw new Error('refused');
    await expect.poll(() => resumed.messages.length, { timeout: 30_000 }).toBe(mine.length - 1);
    resumed.socket.close();
    expect(resumed.messages.map((event) => event.id)).toEqual(mine.slice(1).map((event) => event.id));
  });

  it('refuses without the token, or with a bad filter, in the envelope\'s words', async () => {
    const anonymous = await open('', {});
    expect(anonymous).toMatchObject({ status: 401 });
    if ('body' in anonymous) expect(JSON.parse(anonymous.body)).toMatchObject({ success: false, error: { code: 'unauthorized' } });
    const badType = await open('?type=nope');
    expect(badType).toMatchObject({ status: 400 });
    if ('body' in badType) expect(JSON.parse(badType.body).error.issues[0].place).toBe('query.type');
    expect(await open('?colour=red')).toMatchObject({ status: 400 });
  });
});
