/**
 * Saving remote access settings through the remote listener itself, as a phone or a second machine
 * does: the caller's WebSocket (over real HTTPS with an API key, or plain HTTP on loopback) gets
 * its answer, then the listener it came through is replaced, and the new settings are what answer.
 */
import { rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine/index.js';
import { remoteListener } from '../../../electron/server/web/remote-listener.js';
import { defaultRemoteAccessSettings, type RemoteAccessSettings } from '../../../shared/remote-access.js';
import { lanAddress } from '../../fixtures/network.js';
import { pinnedGet } from '../auth/pinned-client.js';
import { closed, makeTempDir, writeStaticDir } from './helpers.js';

const address = lanAddress ?? '127.0.0.1';

let root = '';
const engines: Engine[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const engine of engines.splice(0)) await engine.close();
  if (root) rmSync(root, { recursive: true, force: true });
  root = '';
});

async function open(): Promise<Engine> {
  root = makeTempDir('remote-reconfigure');
  writeStaticDir(join(root, 'static'));
  const engine = await createEngine({ dataDir: join(root, 'data'), host: 'server', killGraceMs: 150, remoteListener: remoteListener(join(root, 'static')) });
  engines.push(engine);
  return engine;
}

const on = (changes: Partial<RemoteAccessSettings> = {}): RemoteAccessSettings => ({ ...defaultRemoteAccessSettings, enabled: true, address, port: 0, ...changes });

/** A port nothing listens on right now. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, host, () => resolve((probe.address() as { port: number }).port)));
  await new Promise((done) => probe.close(done));
  return port;
}

/** The contract's socket as another machine opens it: with an API key, over wss:// or ws://. */
async function connect(url: string, secret: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers: { 'x-api-key': secret }, perMessageDeflate: false, rejectUnauthorized: false });
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Sends one request and waits for the reply with its id (events may come in between); a socket closed first is the failure this file guards. */
function call(socket: WebSocket, id: number, method: string, params: unknown): Promise<{ id: number; ok: boolean; value?: unknown; error?: { code: string; message: string; details?: unknown } }> {
  return new Promise((resolve, reject) => {
    if (socket.readyState !== WebSocket.OPEN) return reject(new Error(`the socket was closed before ${method} was sent`));
    const onClose = (code: number) => reject(new Error(`the socket closed (${code}) before the reply to ${method}`));
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { id?: number };
      if (message.id !== id) return;
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(message as never);
    };
    socket.on('message', onMessage);
    socket.once('close', onClose);
    socket.send(JSON.stringify({ id, method, params }));
  });
}

function plainGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('remote access saved through its own listener', () => {
  it('answers a move to another port over wss before the old port closes; then only the new port answers, where the next save turns it off', async () => {
    const engine = await open();
    const first = await engine.call('remote.configure', { settings: on() });
    if (first.status.state !== 'listening') throw new Error(`not listening: ${JSON.stringify(first.status)}`);
    const { port: oldPort, fingerprint256 } = first.status;
    const pin = fingerprint256!;
    const { secret } = await engine.call('keys.create', { name: 'phone', scope: 'admin' });

    const phone = await connect(`wss://${address}:${oldPort}/rpc`, secret);
    const ended = closed(phone);
    const newPort = await freePort(address);
    const reply = await call(phone, 1, 'remote.configure', { settings: on({ port: newPort }) });
    expect(reply).toEqual({
      id: 1,
      ok: true,
      value: {
        settings: on({ port: newPort }),
        status: expect.objectContaining({ state: 'listening', port: newPort, urls: [`https://${address}:${newPort}/`], fingerprint256: pin }),
        moved: { from: [`https://${address}:${oldPort}/`], to: [`https://${address}:${newPort}/`] },
      },
    });
    // Then the listener it came through ends its connections and refuses new ones.
    expect(await ended).toBe(1001);
    await expect(pinnedGet(address, oldPort, '/health', pin, { 'x-api-key': secret })).rejects.toThrow(/ECONNREFUSED/);
    expect((await pinnedGet(address, newPort, '/health', pin, { 'x-api-key': secret })).status).toBe(200);

    // Followed to the new port, the phone turns remote access off from there: answered, then gone.
    const again = await connect(`wss://${address}:${newPort}/rpc`, secret);
    const againEnded = closed(again);
    const off = await call(again, 2, 'remote.configure', { settings: on({ port: newPort, enabled: false }) });
    expect(off).toMatchObject({ id: 2, ok: true, value: { status: { state: 'off' }, moved: { from: [`https://${address}:${newPort}/`], to: [] } } });
    expect(await againEnded).toBe(1001);
    await expect(pinnedGet(address, newPort, '/health', pin)).rejects.toThrow(/ECONNREFUSED/);
    expect(await engine.call('remote.get', undefined)).toMatchObject({ settings: { enabled: false, port: newPort }, status: { state: 'off' } });
  }, 90_000);

  it('on the same port: answers a refusal at its field and then a switch from HTTP to HTTPS, each before the listener under it restarts', async () => {
    const engine = await open();
    const port = await freePort('127.0.0.1');
    const plain = on({ address: '127.0.0.1', port, tls: { kind: 'none' } });
    await engine.call('remote.configure', { settings: plain });
    const { secret } = await engine.call('keys.create', { name: 'script', scope: 'admin' });

    const script = await connect(`ws://127.0.0.1:${port}/rpc`, secret);
    const certFile = join(root, 'missing-cert.pem');
    const refused = await call(script, 1, 'remote.configure', { settings: { ...plain, tls: { kind: 'files', certFile, keyFile: join(root, 'key.pem') } } });
    expect(refused).toEqual({
      id: 1,
      ok: false,
      error: { code: 'invalid', message: `certificate file ${certFile}: cannot read the certificate (ENOENT)`, details: { field: 'certFile' } },
    });
    // The same port still answers with the settings that were saved, and the caller's socket lives on.
    expect(await plainGet(port, '/health')).toBe(401);
    expect(await engine.call('remote.get', undefined)).toMatchObject({ settings: plain, status: { state: 'listening', port, certificate: 'none' } });
    expect(await call(script, 3, 'remote.get', undefined)).toMatchObject({ id: 3, ok: true, value: { settings: plain } });

    const caller = script;
    const ended = closed(caller);
    const secure = { ...plain, tls: { kind: 'generated' as const } };
    const reply = await call(caller, 2, 'remote.configure', { settings: secure });
    expect(reply).toMatchObject({
      id: 2,
      ok: true,
      value: { settings: secure, status: { state: 'listening', port, certificate: 'generated' }, moved: { from: [`http://127.0.0.1:${port}/`], to: [`https://127.0.0.1:${port}/`] } },
    });
    expect(await ended).toBe(1001);
    const pin = (reply.value as { status: { fingerprint256: string } }).status.fingerprint256;
    expect((await pinnedGet('127.0.0.1', port, '/health', pin, { 'x-api-key': secret })).status).toBe(200);
    // Plain HTTP on that port now meets a TLS server.
    await expect(plainGet(port, '/health')).rejects.toThrow();
  }, 90_000);
});
