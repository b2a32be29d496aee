/**
 * API keys as a script or a phone uses them: over real HTTP and WebSocket on loopback, against the
 * browser host with a real engine and SQLite. The app's own token keeps working as before.
 */
import type WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditKind } from '../../../shared/access.js';
import type { AccessLimits } from '../../../electron/server/auth/key-gate.js';
import { apiClient, startApiHost, type TestHost } from '../api/helpers.js';
import { closed, get, nextMessage, openSocket } from '../web/helpers.js';

let host: TestHost | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(limits?: Partial<AccessLimits>) {
  const base: AccessLimits = { key: { limit: 600, windowSeconds: 60 }, address: null, failures: { limit: 30, windowSeconds: 60 } };
  const started = await startApiHost({ limits: { ...base, ...limits } });
  host = started.host;
  return { host: started.host, call: apiClient(started.host) };
}

const withKey = (secret: string) => ({ token: null, headers: { 'x-api-key': secret } });

async function auditOf(target: TestHost, kind: AuditKind) {
  return target.engine.call('audit.list', { kinds: [kind] });
}

describe('API keys over HTTP', () => {
  it('opens with X-API-Key or Authorization: Bearer, with the RateLimit fields, and records the use', async () => {
    const { host, call } = await start();
    const { secret } = await host.engine.call('keys.create', { name: 'ci', scope: 'read' });

    const viaHeader = await call('GET', '/health/detailed', withKey(secret));
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('ratelimit-policy')).toBe('"key";q=600;w=60');
    expect(viaHeader.headers.get('ratelimit')).toMatch(/^"key";r=599;t=\d+$/);
    const viaBearer = await call('GET', '/health', { token: secret });
    expect(viaBearer.status).toBe(200);
    // One request spent, some earned back meanwhile (10 a second).
    expect(viaBearer.headers.get('ratelimit')).toMatch(/^"key";r=59[89];t=\d+$/);

    // The app's own token: as before, and not counted against any key.
    const session = await call('GET', '/health');
    expect(session.status).toBe(200);
    expect(session.headers.get('ratelimit')).toBeNull();

    const [listed] = await host.engine.call('keys.list', undefined);
    expect(listed).toMatchObject({ name: 'ci', lastUsedFrom: '127.0.0.1' });
    expect((await auditOf(host, 'key.used')).map((e) => [e.keyName, e.address, e.detail])).toEqual([['ci', '127.0.0.1', 'used with scope read (2 times within 60 s)']]);
  });

  it('refuses no key, a wrong one and a revoked one with 401 in the envelope, from the next request on', async () => {
    const { host, call } = await start();
    const { secret } = await host.engine.call('keys.create', { name: 'phone', scope: 'run' });

    const none = await call('GET', '/health', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="photon"');
    expect(none.body).toMatchObject({ success: false, data: null, error: { code: 'unauthorized', message: expect.stringContaining('no token or API key') } });

    const wrong = await call('GET', '/health', withKey(`${secret.slice(0, -2)}xx`));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.message).toContain('an API key with a wrong secret');

    expect((await call('GET', '/health', withKey(secret))).status).toBe(200);
    await host.engine.call('keys.revoke', { key: 'phone' });
    const revoked = await call('GET', '/health', withKey(secret));
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.message).toMatch(/API key "phone" was revoked at /);

    expect((await auditOf(host, 'auth.failed')).map((e) => e.detail)).toEqual([
      expect.stringMatching(/^API key "phone" was revoked at /),
      'an API key with a wrong secret',
      'no token or API key',
    ]);
  });

  it('answers a burst past the key\'s limit with 429, Retry-After and the envelope', async () => {
    const { host, call } = await start({ key: { limit: 3, windowSeconds: 60 } });
    const { secret } = await host.engine.call('keys.create', { name: 'burst', scope: 'read' });
    for (let i = 0; i < 3; i++) expect((await call('GET', '/health', withKey(secret))).status).toBe(200);
    const refused = await call('GET', '/health', withKey(secret));
    expect(refused.status).toBe(429);
    // One request comes back every 20 s: the wait is at most that, however long the three took.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.headers.get('ratelimit')).toMatch(/^"key";r=0;t=(5\d|60)$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('"key";q=3;w=60');
    expect(refused.body).toMatchObject({ success: false, error: { code: 'rate_limited', message: `too many requests from key "burst"; try again in ${retryAfter} s` } });
    // Another key, and the app itself, are not held back.
    const other = await host.engine.call('keys.create', { name: 'other', scope: 'read' });
    expect((await call('GET', '/health', withKey(other.secret))).status).toBe(200);
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await auditOf(host, 'rate.limited')).map((e) => [e.keyName, e.detail])).toEqual([['burst', 'key over its rate limit']]);
  });

  it('limits each client address too when asked, whatever key it uses, and never the app\'s own token', async () => {
    const { host, call } = await start({ address: { limit: 2, windowSeconds: 60 } });
    const a = await host.engine.call('keys.create', { name: 'a', scope: 'read' });
    const b = await host.engine.call('keys.create', { name: 'b', scope: 'read' });
    expect((await call('GET', '/health', withKey(a.secret))).status).toBe(200);
    expect((await call('GET', '/health', withKey(b.secret))).status).toBe(200);
    const refused = await call('GET', '/health', withKey(a.secret));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-policy')).toBe('"address";q=2;w=60');
    expect(refused.body.error?.message).toMatch(/^too many requests from 127\.0\.0\.1; try again in \d+ s$/);
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await auditOf(host, 'rate.limited')).map((e) => [e.address, e.detail])).toEqual([['127.0.0.1', 'address over its rate limit']]);
  });

  it('stops an address that keeps guessing before it costs a slow hash, while the app goes on', async () => {
    const { host, call } = await start({ failures: { limit: 3, windowSeconds: 60 } });
    const { secret } = await host.engine.call('keys.create', { name: 'real', scope: 'read' });
    for (let i = 0; i < 3; i++) expect((await call('GET', '/health', withKey(`photon_0000000${i}_${'A'.repeat(43)}`))).status).toBe(401);
    const blocked = await call('GET', '/health', withKey(secret));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.message).toMatch(/^too many requests from 127\.0\.0\.1; try again in \d+ s$/);
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await auditOf(host, 'rate.limited')).map((e) => e.detail)).toEqual(['too many failed sign-ins']);
  });

  it('audits requests refused for their Host or Origin', async () => {
    const { host } = await start();
    const port = host.server.port;
    expect((await get(port, '/health', { host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(port, '/api/v1/operations', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await auditOf(host, 'host.refused')).map((e) => [e.address, e.target])).toEqual([['127.0.0.1', 'GET /health']]);
    expect((await auditOf(host, 'origin.refused')).map((e) => [e.target, e.detail])).toEqual([['GET /api/v1/operations', 'requests from other web pages are refused']]);
  });
});

describe('API keys on the contract\'s WebSocket', () => {
  const request = async (socket: WebSocket, id: number, method: string, params?: unknown) => {
    const reply = nextMessage(socket);
    socket.send(JSON.stringify({ id, method, params }));
    return reply;
  };

  it('holds a socket opened with a key to its scope, and ends it once the key is revoked', async () => {
    const { host } = await start();
    const port = host.server.port;
    const reader = await host.engine.call('keys.create', { name: 'dashboard', scope: 'read' });
    const attempt = await openSocket(port, { headers: { 'x-api-key': reader.secret } });
    if (!attempt.ok) throw new Error(`the upgrade was refused with ${attempt.status}`);
    const { socket } = attempt;

    expect(await request(socket, 1, 'runs.list')).toEqual({ id: 1, ok: true, value: [] });
    expect(await request(socket, 2, 'runs.cancelAll')).toEqual({
      id: 2,
      ok: false,
      error: { code: 'forbidden', message: 'runs.cancelAll needs an API key with scope run; key "dashboard" has scope read' },
    });

    const ended = closed(socket);
    await host.engine.call('keys.revoke', { key: reader.key.prefix });
    expect(await request(socket, 3, 'runs.list')).toMatchObject({ id: 3, ok: false, error: { code: 'unauthorized', message: expect.stringContaining('was revoked') } });
    expect(await ended).toBe(1008);

    expect(await openSocket(port, { headers: { 'x-api-key': reader.secret } })).toEqual({ ok: false, status: 401 });
    // The app's own socket is untouched.
    const app = await openSocket(port, { headers: { authorization: `Bearer ${host.server.token}` } });
    if (!app.ok) throw new Error('the app could not open its socket');
    expect(await request(app.socket, 1, 'keys.list')).toMatchObject({ id: 1, ok: true });
    app.socket.close();
  });
});
