/**
 * Remote access as the Settings page drives it: the engine keeps the settings and starts, restarts
 * and stops the listener the browser host supplies (the same one `photon serve` and the desktop
 * app hand it). Real engine, real HTTPS on this machine's own network address (or 127.0.0.1), a
 * client that pins the fingerprint the status shows. Nothing leaves the machine.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine/index.js';
import { remoteListener } from '../../../electron/server/web/remote-listener.js';
import { PhotonError } from '../../../shared/errors.js';
import { defaultRemoteAccessSettings, type RemoteAccessSettings } from '../../../shared/remote-access.js';
import { lanAddress } from '../../fixtures/network.js';
import { pinnedGet } from '../auth/pinned-client.js';
import { makeTempDir, writeStaticDir } from './helpers.js';

/** Beyond loopback where this machine has a network address; the tests below that need one say so. */
const address = lanAddress ?? '127.0.0.1';

let root = '';
const engines: Engine[] = [];
let blocker: Server | undefined;

afterEach(async () => {
  blocker?.close();
  blocker = undefined;
  for (const engine of engines.splice(0)) await engine.close();
  if (root) rmSync(root, { recursive: true, force: true });
  root = '';
});

async function open(options: { serves?: boolean } = {}): Promise<Engine> {
  root ||= makeTempDir('remote');
  writeStaticDir(join(root, 'static'));
  const engine = await createEngine({
    dataDir: join(root, 'data'),
    host: options.serves === false ? 'cli' : 'server',
    killGraceMs: 150,
    ...(options.serves === false ? {} : { remoteListener: remoteListener(join(root, 'static')) }),
  });
  engines.push(engine);
  return engine;
}

const on = (changes: Partial<RemoteAccessSettings> = {}): RemoteAccessSettings => ({ ...defaultRemoteAccessSettings, enabled: true, address, port: 0, ...changes });

async function refusal(promise: Promise<unknown>): Promise<{ message: string; field: unknown }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PhotonError);
  const photonError = error as PhotonError;
  expect(photonError.code).toBe('invalid');
  return { message: photonError.message, field: (photonError.details as { field?: unknown } | undefined)?.field };
}

describe('remote access settings', () => {
  it('is off by default and listens, with keys, its rate limit and its pinned certificate, once turned on; the settings outlive the engine', async () => {
    let engine = await open();
    expect(await engine.call('remote.get', undefined)).toEqual({ settings: defaultRemoteAccessSettings, status: { state: 'off' } });
    expect(defaultRemoteAccessSettings).toMatchObject({ enabled: false, keyRate: '600/min', addressRate: 'off', tls: { kind: 'generated' } });

    const { status } = await engine.call('remote.configure', { settings: on({ keyRate: '2/min' }) });
    if (status.state !== 'listening') throw new Error(`not listening: ${JSON.stringify(status)}`);
    expect(status.urls).toEqual([`https://${address}:${status.port}/`]);
    expect(status.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const pin = status.fingerprint256!;

    const { secret } = await engine.call('keys.create', { name: 'laptop', scope: 'read' });
    const health = () => pinnedGet(address, status.port, '/health', pin, { 'x-api-key': secret });
    expect((await health()).status).toBe(200);
    expect((await pinnedGet(address, status.port, '/health', pin)).status).toBe(401);
    // The saved rate, on for keys: two requests a minute, the third refused with the standard headers.
    expect((await health()).status).toBe(200);
    const third = await health();
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ success: false, error: { code: 'rate_limited' } });

    await engine.close();
    engines.length = 0;
    // The next engine on the same data listens again with the same settings and certificate.
    engine = await open();
    const again = await engine.call('remote.get', undefined);
    expect(again.settings).toEqual(on({ keyRate: '2/min' }));
    expect(again.status).toMatchObject({ state: 'listening', fingerprint256: pin });
    expect(JSON.parse(readFileSync(join(root, 'data', 'remote-access.json'), 'utf8'))).toEqual(on({ keyRate: '2/min' }));

    expect(await engine.call('remote.configure', { settings: { ...again.settings, enabled: false } })).toMatchObject({ status: { state: 'off' } });
    const port = again.status.state === 'listening' ? again.status.port : 0;
    await expect(pinnedGet(address, port, '/health', pin)).rejects.toThrow(/ECONNREFUSED/);
  }, 60_000);

  it('refuses plain HTTP beyond loopback with the reason, and changes nothing', async () => {
    if (!lanAddress) return expect.soft(lanAddress, 'this test needs a non-loopback IPv4 address').toBeDefined();
    const engine = await open();
    const before = await engine.call('remote.configure', { settings: on() });
    const { message, field } = await refusal(engine.call('remote.configure', { settings: on({ tls: { kind: 'none' } }) }));
    expect(field).toBe('tls');
    expect(message).toBe(
      `refusing plain HTTP on ${lanAddress}: beyond loopback anyone on the network could read every request, keys included. Choose Photon's certificate (its fingerprint is shown for pinning) or your own certificate and key, or listen on 127.0.0.1`,
    );
    expect(await engine.call('remote.get', undefined)).toEqual(before);
    // On loopback plain HTTP is this machine's own business.
    const local = await engine.call('remote.configure', { settings: on({ address: '127.0.0.1', tls: { kind: 'none' } }) });
    expect(local.status).toMatchObject({ state: 'listening', fingerprint256: null, certificate: 'none' });
  }, 60_000);

  it('places each refusal at its field and keeps the listener that was running', async () => {
    const engine = await open();
    const before = await engine.call('remote.configure', { settings: on() });

    expect(await refusal(engine.call('remote.configure', { settings: on({ address: '10.255.255.77' }) }))).toMatchObject({ field: 'address', message: expect.stringMatching(/^10\.255\.255\.77 is not an address of this machine; its addresses are /) });
    expect(await refusal(engine.call('remote.configure', { settings: on({ address: 'my-laptop' }) }))).toMatchObject({ field: 'address', message: expect.stringContaining('"my-laptop" is not an IP address') });

    const certFile = join(root, 'missing-cert.pem');
    expect(await refusal(engine.call('remote.configure', { settings: on({ tls: { kind: 'files', certFile, keyFile: join(root, 'key.pem') } }) }))).toEqual({
      field: 'certFile',
      message: `certificate file ${certFile}: cannot read the certificate (ENOENT)`,
    });

    blocker = createServer();
    const taken = await new Promise<number>((resolve) => blocker!.listen(0, address, () => resolve((blocker!.address() as { port: number }).port)));
    expect(await refusal(engine.call('remote.configure', { settings: on({ port: taken }) }))).toEqual({
      field: 'port',
      message: `${address} port ${taken} is in use by another program; choose another port, or 0 for any free one`,
    });

    // Each refusal left the running listener and the saved settings as they were.
    const after = await engine.call('remote.get', undefined);
    expect(after.settings).toEqual(before.settings);
    expect(after.status).toMatchObject({ state: 'listening', fingerprint256: before.status.state === 'listening' ? before.status.fingerprint256 : '' });
    const now = after.status.state === 'listening' ? after.status.port : 0;
    const pin = after.status.state === 'listening' ? after.status.fingerprint256! : '';
    expect((await pinnedGet(address, now, '/health', pin)).status).toBe(401);
  }, 60_000);

  it('says why it is off when its settings file is damaged, and saving replaces it', async () => {
    root = makeTempDir('remote');
    const file = join(root, 'data', 'remote-access.json');
    const engine0 = await open();
    await engine0.close();
    engines.length = 0;
    writeFileSync(file, '{"enabled": true, "address": ');
    const engine = await open();
    const state = await engine.call('remote.get', undefined);
    expect(state.status).toEqual({ state: 'failed', reason: `${file} is not JSON (${jsonError('{"enabled": true, "address": ')}); remote access stays off until its settings are saved again (saving replaces the file)` });
    expect(readFileSync(file, 'utf8')).toBe('{"enabled": true, "address": ');
    expect((await engine.call('remote.configure', { settings: on({ address: '127.0.0.1' }) })).status).toMatchObject({ state: 'listening' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ enabled: true, address: '127.0.0.1' });
  }, 60_000);

  it('keeps the settings where the engine serves nothing (a CLI command), saying where they apply', async () => {
    const engine = await open({ serves: false });
    const state = await engine.call('remote.configure', { settings: on({ address: '127.0.0.1' }) });
    expect(state.status).toEqual({ state: 'unavailable', reason: 'this Photon (a command line command) serves nothing; the desktop app and photon serve listen with these settings when they start' });
    expect(existsSync(join(root, 'data', 'remote-access.json'))).toBe(true);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
