/**
 * The /rpc socket as a wire: events to every socket (a terminal's output to those attached to it), subscriptions released on close, frames too
 * large or malformed, a client too slow to keep up, a dead peer, and shutdown. Real engine, real
 * loopback; the engine is only wrapped to count what the host asks of it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../../electron/engine/index.js';
import { startWebServer, type WebServer } from '../../../electron/server/web/index.js';
import { laggingCloseCode } from '../../../electron/server/web/rpc-socket.js';
import type { EventEnvelope, ReplyEnvelope } from '../../../shared/api.js';
import type { RunSummary } from '../../../shared/runs.js';
import type { TerminalInfo } from '../../../shared/terminals.js';
import { closed, makeTempDir, nextMessage, openSocket, writeStaticDir } from './helpers.js';

let root: string;
let workDir: string;
let engine: Engine;
let server: WebServer;
const usage = { subscriptions: 0, disconnected: [] as string[] };

/** The real engine, counting the host's subscriptions and disconnect notices. */
function counted(inner: Engine): Engine {
  return {
    ...inner,
    onAny(listener) {
      usage.subscriptions++;
      const off = inner.onAny(listener);
      return () => {
        usage.subscriptions--;
        off();
      };
    },
    clientDisconnected(clientId) {
      usage.disconnected.push(clientId);
      inner.clientDisconnected(clientId);
    },
  };
}

beforeAll(async () => {
  root = makeTempDir('rpc');
  workDir = join(root, 'work');
  mkdirSync(workDir);
  writeStaticDir(join(root, 'static'));
  engine = await createEngine({ dataDir: join(root, 'data'), host: 'server', killGraceMs: 150 });
  server = await startWebServer({
    engine: counted(engine),
    port: 0,
    dataDir: join(root, 'data'),
    staticDir: join(root, 'static'),
    maxBufferedBytes: 1024 * 1024,
  });
});

afterAll(async () => {
  await server.close();
  await engine.close();
  rmSync(root, { recursive: true, force: true });
});

async function connect(options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers: { authorization: `Bearer ${server.token}` }, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

function collectEvents(socket: WebSocket): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as EventEnvelope | ReplyEnvelope;
    if ('event' in message) events.push(message);
  });
  return events;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function ended(events: EventEnvelope[], runId: string, status: RunSummary['status']): boolean {
  return events.some((e) => e.event === 'run.updated' && (e.payload as RunSummary).runId === runId && (e.payload as RunSummary).status === status);
}

async function startRun(command: string): Promise<string> {
  const { runId } = await engine.call('runs.start', { workflow: { name: 'socket test', workflow: [{ step: 1, platform: 'shell', inputs: { command } }] }, baseDir: workDir });
  return runId;
}

describe('the /rpc socket', () => {
  it('sends every engine event to every open socket, and subscribes only while one is open', async () => {
    expect(usage.subscriptions).toBe(0);
    const first = await connect();
    const second = await connect();
    expect(usage.subscriptions).toBe(1);
    const seenByFirst = collectEvents(first);
    const seenBySecond = collectEvents(second);

    const runId = await startRun('echo hello');
    await until(() => ended(seenByFirst, runId, 'succeeded') && ended(seenBySecond, runId, 'succeeded'), 'both sockets to see the run end');
    expect(seenBySecond.some((e) => e.event === 'step.updated')).toBe(true);

    const disconnectedBefore = usage.disconnected.length;
    first.close();
    await closed(first);
    await until(() => usage.disconnected.length === disconnectedBefore + 1, 'the engine to hear of the closed client');
    expect(usage.disconnected.at(-1)).toMatch(/^ws-/);
    expect(usage.subscriptions).toBe(1);
    second.close();
    await closed(second);
    await until(() => usage.subscriptions === 0, 'the last socket to release the subscription');
    // Each socket was its own client of the engine.
    expect(new Set(usage.disconnected.slice(-2)).size).toBe(2);
  });

  it("sends a terminal's output only to the sockets attached to it, and its updates to all", async () => {
    const viewer = await connect();
    const bystander = await connect();
    const seenByViewer = collectEvents(viewer);
    const seenByBystander = collectEvents(bystander);
    // The output comes after the attach below: the marker is spliced so the command line never shows it.
    const terminal = await engine.call('terminals.create', { cwd: workDir, command: 'sleep 0.5; echo "only-""for-the-viewer"' });
    const attached = new Promise<unknown>((resolve) => {
      viewer.on('message', (data) => {
        const message = JSON.parse(String(data)) as EventEnvelope | ReplyEnvelope;
        if ('id' in message && message.id === 1) resolve(message);
      });
    });
    viewer.send(JSON.stringify({ id: 1, method: 'terminals.attach', params: { id: terminal.id } }));
    expect(await attached).toMatchObject({ id: 1, ok: true });

    const exitedFor = (events: EventEnvelope[]) =>
      events.some((e) => e.event === 'terminal.updated' && (e.payload as TerminalInfo).id === terminal.id && (e.payload as TerminalInfo).status === 'exited');
    await until(() => exitedFor(seenByViewer) && exitedFor(seenByBystander), 'both sockets to hear the terminal exit');
    const dataFor = (events: EventEnvelope[]) =>
      events.filter((e) => e.event === 'terminal.data' && (e.payload as { id: string }).id === terminal.id).map((e) => (e.payload as { data: string }).data);
    expect(dataFor(seenByViewer).join('')).toContain('only-for-the-viewer');
    // The exit is flushed after the last output, and each socket keeps the engine's order.
    expect(dataFor(seenByBystander)).toEqual([]);
    viewer.close();
    bystander.close();
  });

  it('answers requests on the socket they came from, matched by id', async () => {
    const socket = await connect();
    const replies = new Map<unknown, ReplyEnvelope>();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ReplyEnvelope;
      if ('id' in message) replies.set(message.id, message);
    });
    for (let id = 1; id <= 20; id++) socket.send(JSON.stringify({ id, method: id % 2 ? 'system.info' : 'workflows.list' }));
    await until(() => replies.size === 20, 'twenty replies');
    expect(replies.get(1)).toMatchObject({ ok: true, value: { host: 'server' } });
    expect(replies.get(2)).toMatchObject({ ok: true, value: [] });
    socket.close();
  });

  it('answers a binary frame with `invalid`', async () => {
    const socket = await connect();
    const reply = nextMessage(socket);
    socket.send(Buffer.from(JSON.stringify({ id: 1, method: 'system.info' })), { binary: true });
    expect(await reply).toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
    socket.close();
  });

  it('keeps error replies small: an unknown method or an id of 900 KB is not echoed back', async () => {
    const socket = await connect();
    const huge = 'x'.repeat(900 * 1024);
    const requests = [
      { id: 1, method: huge },
      { id: 2, method: { name: huge } },
      { id: huge, method: 'system.info' },
      { id: huge, method: 'no.such' },
    ];
    // Only replies: an event the engine announces meanwhile (a metrics sample on a slow machine) is not one.
    const replies: string[] = [];
    socket.on('message', (data) => {
      const text = String(data);
      if (!('event' in (JSON.parse(text) as object))) replies.push(text);
    });
    for (const request of requests) socket.send(JSON.stringify(request));
    await until(() => replies.length === requests.length, 'four replies');
    for (const reply of replies) expect(reply.length).toBeLessThan(400);
    const parsed = replies.map((reply) => JSON.parse(reply) as ReplyEnvelope);
    expect(parsed).toContainEqual({ id: 1, ok: false, error: { code: 'not_found', message: `unknown method "${'x'.repeat(100)}…"` } });
    expect(parsed).toContainEqual({ id: 2, ok: false, error: { code: 'not_found', message: 'unknown method (object, not a name)' } });
    expect(parsed.filter((reply) => reply.id === null)).toEqual([
      { id: null, ok: false, error: { code: 'invalid', message: `a request's "id" may have at most 128 characters; this one has ${huge.length}` } },
      { id: null, ok: false, error: { code: 'invalid', message: `a request's "id" may have at most 128 characters; this one has ${huge.length}` } },
    ]);
    socket.close();
  });

  it('closes a socket that sends a frame far over the limit (1009) and keeps serving others', async () => {
    const socket = await connect();
    const code = closed(socket);
    socket.send('x'.repeat(5 * 1024 * 1024));
    expect(await code).toBe(1009);

    const fresh = await connect();
    const reply = nextMessage(fresh);
    fresh.send(JSON.stringify({ id: 1, method: 'system.info' }));
    expect(await reply).toMatchObject({ id: 1, ok: true });
    fresh.close();
  });

  it('closes a socket that sends text that is not UTF-8 (1007) and keeps serving', async () => {
    const socket = await connect();
    const code = closed(socket);
    socket.on('error', () => undefined);
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await code).toBe(1007);
    const fresh = await connect();
    fresh.close();
  });

  it('closes a socket that stops reading with 1013 instead of buffering without end', async () => {
    const slow = await connect();
    const watcher = await connect();
    const seenByWatcher = collectEvents(watcher);
    const code = closed(slow);
    slow.pause();

    // Tens of megabytes of step output, as events: far more than the socket and the kernel buffer.
    const runId = await startRun("head -c 24000000 /dev/zero | tr '\\0' x");
    await until(() => ended(seenByWatcher, runId, 'succeeded'), 'the noisy run to end', 60_000);

    slow.resume();
    expect(await code).toBe(laggingCloseCode);
    // The socket that kept up got everything, and the server still serves.
    expect(seenByWatcher.filter((e) => e.event === 'step.output').length).toBeGreaterThan(0);
    const fresh = await connect();
    fresh.close();
    watcher.close();
  }, 90_000);

  it('drops a peer that stops answering pings, and only that one', async () => {
    const dataDir = join(root, 'data-heartbeat');
    // Wide enough that a loaded machine answers a healthy ping in time; the deaf peer goes within two.
    const intervalMs = 250;
    const quick = await startWebServer({ engine, port: 0, dataDir, staticDir: join(root, 'static'), heartbeatIntervalMs: intervalMs });
    try {
      const headers = { authorization: `Bearer ${quick.token}` };
      const deaf = new WebSocket(`ws://127.0.0.1:${quick.port}/rpc`, { headers, autoPong: false });
      const healthy = await openSocket(quick.port, { headers });
      if (!healthy.ok) throw new Error(`upgrade refused: ${healthy.status}`);
      expect(await closed(deaf)).toBe(1006); // terminated: no close frame
      await new Promise((resolve) => setTimeout(resolve, 3 * intervalMs));
      expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
      healthy.socket.close();
    } finally {
      await quick.close();
    }
  });

  it('keeps its peers when the host stood still past a ping, their answers waiting unread', async () => {
    const dataDir = join(root, 'data-stall');
    const intervalMs = 100;
    const quick = await startWebServer({ engine, port: 0, dataDir, staticDir: join(root, 'static'), heartbeatIntervalMs: intervalMs });
    try {
      const healthy = await openSocket(quick.port, { headers: { authorization: `Bearer ${quick.token}` } });
      if (!healthy.ok) throw new Error(`upgrade refused: ${healthy.status}`);
      const dropped = closed(healthy.socket);
      // Stall right after a ping went out: its pong arrives while nothing reads it.
      await new Promise<void>((resolve) => healthy.socket.once('ping', () => resolve()));
      const until = performance.now() + 3 * intervalMs;
      while (performance.now() < until) {
        // A long synchronous task on the host's thread.
      }
      const outcome = await Promise.race([dropped.then(() => 'dropped'), new Promise((resolve) => setTimeout(() => resolve('open'), 3 * intervalMs))]);
      expect(outcome).toBe('open');
      healthy.socket.close();
    } finally {
      await quick.close();
    }
  });
});

describe('close()', () => {
  it('closes open sockets with 1001 and stops listening', async () => {
    const dataDir = join(root, 'data-close');
    const own = await startWebServer({ engine, port: 0, dataDir, staticDir: join(root, 'static') });
    const attempt = await openSocket(own.port, { headers: { authorization: `Bearer ${own.token}` } });
    if (!attempt.ok) throw new Error(`upgrade refused: ${attempt.status}`);
    const code = closed(attempt.socket);
    await own.close();
    expect(await code).toBe(1001);
    await expect(openSocket(own.port, { headers: { authorization: `Bearer ${own.token}` } })).rejects.toThrow(/ECONNREFUSED/);
    await own.close(); // idempotent
  });
});
