/**
 * Listening beyond loopback: only over TLS, with a certificate Photon makes (or the user's), whose
 * SHA-256 fingerprint a client pins. The tests listen on this machine's own network address (or
 * all addresses) and connect to it from here: nothing leaves the machine.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine/index.js';
import { loadOrMakeIdentity, loadUserIdentity, type TlsIdentity } from '../../../electron/server/auth/tls-identity.js';
import { startWebServer, type WebServer } from '../../../electron/server/web/index.js';
import { makeTempDir, writeStaticDir } from '../web/helpers.js';
import { pinnedGet as pinnedGetAt } from './pinned-client.js';

/** This machine's own IPv4 address on its network, else every address (reached here through 127.0.0.1). */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
const listenOn = lanAddress ?? '0.0.0.0';
const connectTo = lanAddress ?? '127.0.0.1';
const pinnedGet = (port: number, path: string, pin: string, headers: Record<string, string> = {}) => pinnedGetAt(connectTo, port, path, pin, headers);

let root = '';
let engine: Engine | undefined;
let server: WebServer | undefined;

afterEach(async () => {
  await server?.close();
  await engine?.close();
  server = undefined;
  engine = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
});

async function start(tls?: TlsIdentity) {
  root = makeTempDir('tls');
  const dataDir = join(root, 'data');
  writeStaticDir(join(root, 'static'));
  engine = await createEngine({ dataDir, host: 'server', killGraceMs: 150 });
  const identity = tls ?? (await loadOrMakeIdentity(dataDir, lanAddress ? [lanAddress] : []));
  server = await startWebServer({ engine, port: 0, dataDir, staticDir: join(root, 'static'), host: listenOn, tls: identity });
  return { engine, server, dataDir, identity };
}

describe('listening beyond loopback', () => {
  it('refuses plain HTTP beyond loopback, saying why and what to do instead', async () => {
    root = makeTempDir('tls');
    engine = await createEngine({ dataDir: join(root, 'data'), host: 'server', killGraceMs: 150 });
    await expect(startWebServer({ engine, port: 0, dataDir: join(root, 'data'), staticDir: root, host: listenOn })).rejects.toThrow(
      `refusing to serve plain HTTP on ${listenOn}: beyond loopback anyone on the network could read every request, keys and tokens included. Serve HTTPS instead: give your certificate with --tls-cert FILE --tls-key FILE, or leave them out and Photon makes one (its fingerprint is printed for pinning)`,
    );
  });

  it('serves HTTPS with a certificate Photon made, which a client pins by its SHA-256 fingerprint', async () => {
    const { engine, server, dataDir, identity } = await start();
    expect(identity.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // Kept private, and the same fingerprint on the next start: a pin survives restarts.
    expect(statSync(join(dataDir, 'tls', 'photon-key.pem')).mode & 0o777).toBe(0o600);
    expect((await loadOrMakeIdentity(dataDir, lanAddress ? [lanAddress] : [])).fingerprint256).toBe(identity.fingerprint256);
    const x509 = new X509Certificate(identity.cert);
    if (lanAddress) expect(x509.checkIP(lanAddress)).toBe(lanAddress);

    const { secret } = await engine.call('keys.create', { name: 'phone', scope: 'read' });
    const answer = await pinnedGet(server.port, '/health', identity.fingerprint256, { 'x-api-key': secret });
    expect(answer).toMatchObject({ status: 200, fingerprint: identity.fingerprint256 });
    expect(JSON.parse(answer.body)).toMatchObject({ success: true, data: { status: 'ok' } });

    // Another certificate in its place (a man in the middle) is refused before the key is sent.
    const wrongPin = identity.fingerprint256.replace(/^[0-9A-F]{2}/, (b) => (b === '00' ? '01' : '00'));
    await expect(pinnedGet(server.port, '/health', wrongPin, { 'x-api-key': secret })).rejects.toThrow(/is not the pinned/);
    // A client that checks certificates the usual way does not trust a self-signed one.
    await expect(
      new Promise((resolve, reject) => request({ host: connectTo, port: server.port, path: '/health', agent: false }, resolve).on('error', reject).end()),
    ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('serves the user\'s own certificate, and names the file when a certificate and key do not belong together', async () => {
    root = makeTempDir('tls');
    const first = await loadOrMakeIdentity(join(root, 'a'), []);
    const second = await loadOrMakeIdentity(join(root, 'b'), []);
    const dir = join(root, 'user');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cert.pem'), first.cert);
    writeFileSync(join(dir, 'key.pem'), first.key);
    writeFileSync(join(dir, 'other-key.pem'), second.key);
    const mine = loadUserIdentity(join(dir, 'cert.pem'), join(dir, 'key.pem'));
    expect(mine.fingerprint256).toBe(first.fingerprint256);
    expect(() => loadUserIdentity(join(dir, 'cert.pem'), join(dir, 'other-key.pem'))).toThrow(`--tls-key ${join(dir, 'other-key.pem')} is not the key of the certificate in ${join(dir, 'cert.pem')}`);
    expect(() => loadUserIdentity(join(dir, 'key.pem'), join(dir, 'key.pem'))).toThrow(/--tls-cert .*key\.pem: not a PEM certificate/);
    expect(() => loadUserIdentity(join(dir, 'missing.pem'), join(dir, 'key.pem'))).toThrow(/--tls-cert .*missing\.pem: cannot read the certificate \(ENOENT\)/);
    expect(readFileSync(join(dir, 'key.pem'), 'utf8')).toContain('PRIVATE KEY');
  });
});
