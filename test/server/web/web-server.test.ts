/**
 * The browser host's doors on real loopback: the token (query, bearer, cookie), the Host allowlist,
 * the Origin check on upgrades, the token file, and a bind that never leaves 127.0.0.1.
 */
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer } from '../../../electron/server/web/index.js';
import { tokenFilePath } from '../../../electron/server/web/token-store.js';
import { bearer, get, indexHtml, openSocket, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;
let port: number;
let token: string;
const wrongToken = 'f'.repeat(64);

beforeAll(async () => {
  host = await startTestHost();
  port = host.server.port;
  token = host.server.token;
});

afterAll(async () => {
  await host.close();
});

describe('startWebServer', () => {
  it('reports the real port, a 32-byte hex token and the URL that `photon serve` prints', () => {
    expect(port).toBeGreaterThan(0);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(host.server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
  });

  it('refuses to listen beyond loopback without TLS (test/server/auth/tls-listen.test.ts serves it with TLS)', async () => {
    await expect(startWebServer({ engine: host.engine, port: 0, dataDir: host.dataDir, staticDir: host.staticDir, host: '0.0.0.0' })).rejects.toThrow(/^refusing to serve plain HTTP on 0\.0\.0\.0/);
  });

  it('says which port is taken when it is', async () => {
    await expect(startWebServer({ engine: host.engine, port, dataDir: host.dataDir, staticDir: host.staticDir })).rejects.toThrow(new RegExp(`port ${port} .*already in use`));
  });
});

describe('the token', () => {
  it('is required: no token is a 401 page that points at `photon serve`', async () => {
    for (const path of ['/', '/health', '/assets/index-Bx7f3a.js', '/rpc', '/runs/abc']) {
      const answer = await get(port, path);
      expect(answer.status, path).toBe(401);
    }
    const answer = await get(port, '/');
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toContain('photon serve');
    expect(answer.body).not.toContain(token);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a wrong token wherever it is given', async () => {
    expect((await get(port, `/?token=${wrongToken}`)).status).toBe(401);
    expect((await get(port, '/', { headers: bearer(wrongToken) })).status).toBe(401);
    expect((await get(port, '/', { headers: { cookie: `photon_token_${port}=${wrongToken}` } })).status).toBe(401);
    // A prefix, an empty value and the right token under another port's cookie name are all wrong.
    expect((await get(port, `/?token=${token.slice(0, 32)}`)).status).toBe(401);
    expect((await get(port, '/?token=')).status).toBe(401);
    expect((await get(port, '/', { headers: { cookie: `photon_token_1=${token}` } })).status).toBe(401);
    expect((await get(port, '/', { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
  });

  it('accepts the bearer header', async () => {
    const answer = await get(port, '/', { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(indexHtml);
  });

  it('trades a query token for an HttpOnly, SameSite=Strict cookie and a redirect without the token', async () => {
    const first = await get(port, `/runs/abc?view=steps&token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/runs/abc?view=steps');
    expect(first.headers['cache-control']).toBe('no-store');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    const attributes = cookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toBe(`photon_token_${port}=${token}`);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((a) => a.startsWith('Secure'))).toBe(false); // plain http on loopback

    const followed = await get(port, first.headers.location!, { headers: { cookie: attributes[0]! } });
    expect(followed.status).toBe(200);
    expect(followed.body).toBe(indexHtml); // a client route falls back to the app
  });

  it('redirects to the root path for the bare URL and never to another host', async () => {
    expect((await get(port, `/?token=${token}`)).headers.location).toBe('/');
    // `//evil.example` in Location would be a protocol-relative redirect off this server.
    const sneaky = await get(port, `/.//evil.example/?token=${token}`);
    expect(sneaky.status).toBe(303);
    expect(sneaky.headers.location).toMatch(/^\/[^/]/);
  });

  it('is kept in DATA_DIR/server-token, readable by the user alone, and survives restarts', async () => {
    const file = tokenFilePath(host.dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);

    const again = await startWebServer({ engine: host.engine, port: 0, dataDir: host.dataDir, staticDir: host.staticDir });
    try {
      expect(again.token).toBe(token);
      expect(again.port).not.toBe(port);
      expect((await get(again.port, '/health', { headers: bearer(token) })).status).toBe(200);
    } finally {
      await again.close();
    }
  });
});

describe('/health', () => {
  it('answers {"status":"ok"} with the token, and only with it', async () => {
    const answer = await get(port, '/health', { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toMatchObject({ success: true, data: { status: 'ok' } });
    // A query token works too, without a redirect: health checkers do not follow them.
    const viaQuery = await get(port, `/health?token=${token}`);
    expect(viaQuery.status).toBe(200);
    expect(JSON.parse(viaQuery.body)).toMatchObject({ success: true, data: { status: 'ok' } });
    expect((await get(port, '/health')).status).toBe(401);
  });
});

describe('the Host allowlist', () => {
  it('refuses any Host but 127.0.0.1:PORT or localhost:PORT, even with a valid token', async () => {
    for (const hostHeader of [`evil.com:${port}`, 'evil.com', `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`, `localhost.evil.com:${port}`, `0.0.0.0:${port}`]) {
      const answer = await get(port, '/health', { headers: bearer(token), host: hostHeader });
      expect(answer.status, hostHeader).toBe(421);
      expect(answer.body).not.toContain('ok');
    }
    // No Host at all: Node's HTTP/1.1 parser refuses it (400) before the guard would (421).
    expect([400, 421]).toContain((await get(port, '/health', { headers: bearer(token), host: null })).status);
  });

  it('accepts both loopback names', async () => {
    expect((await get(port, '/health', { headers: bearer(token), host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await get(port, '/health', { headers: bearer(token), host: `localhost:${port}` })).status).toBe(200);
    expect((await get(port, '/health', { headers: bearer(token), host: `LOCALHOST:${port}` })).status).toBe(200);
  });

  it('is checked before the token, so a rebound page learns nothing about it', async () => {
    expect((await get(port, '/', { host: `evil.com:${port}` })).status).toBe(421);
  });
});

describe('requests from other pages', () => {
  it('refuses an HTTP request whose Origin is not this server', async () => {
    for (const origin of ['http://evil.com', `http://127.0.0.1:${port + 1}`, 'null']) {
      expect((await get(port, '/health', { headers: { ...bearer(token), origin } })).status, origin).toBe(403);
    }
    expect((await get(port, '/health', { headers: { ...bearer(token), origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
  });

  it('answers only GET and HEAD', async () => {
    const post = await get(port, '/health', { method: 'POST', headers: bearer(token) });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await get(port, '/health', { method: 'HEAD', headers: bearer(token) });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('the /rpc upgrade', () => {
  const cookie = () => ({ cookie: `photon_token_${port}=${token}` });

  it("opens for the server's own Origin with the cookie, as the browser app does", async () => {
    for (const [origin, hostHeader] of [
      [`http://127.0.0.1:${port}`, undefined],
      [`http://localhost:${port}`, `localhost:${port}`],
    ] as const) {
      const attempt = await openSocket(port, { origin, headers: cookie(), host: hostHeader });
      expect(attempt.ok, origin).toBe(true);
      if (attempt.ok) attempt.socket.close();
    }
  });

  it('refuses another Origin even with a valid token, including another port on loopback', async () => {
    for (const origin of ['http://evil.com', `http://127.0.0.1:${port + 1}`, `http://localhost:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      const attempt = await openSocket(port, { origin, headers: { ...cookie(), ...bearer(token) } });
      expect(attempt, origin).toEqual({ ok: false, status: 403 });
    }
  });

  it('lets a client without an Origin in only with the token in the header or query, never the cookie alone', async () => {
    const viaHeader = await openSocket(port, { headers: bearer(token) });
    expect(viaHeader.ok).toBe(true);
    if (viaHeader.ok) viaHeader.socket.close();
    const viaQuery = await openSocket(port, { path: `/rpc?token=${token}` });
    expect(viaQuery.ok).toBe(true);
    if (viaQuery.ok) viaQuery.socket.close();
    expect(await openSocket(port, { headers: cookie() })).toEqual({ ok: false, status: 403 });
  });

  it('refuses no token, a wrong token, a wrong Host and any other path', async () => {
    expect(await openSocket(port)).toEqual({ ok: false, status: 401 });
    expect(await openSocket(port, { origin: `http://127.0.0.1:${port}` })).toEqual({ ok: false, status: 401 });
    expect(await openSocket(port, { headers: bearer(wrongToken) })).toEqual({ ok: false, status: 401 });
    expect(await openSocket(port, { headers: bearer(token), host: `evil.com:${port}` })).toEqual({ ok: false, status: 421 });
    expect(await openSocket(port, { headers: bearer(token), path: '/socket' })).toEqual({ ok: false, status: 404 });
  });

  it('answers a plain GET of /rpc with 426', async () => {
    expect((await get(port, '/rpc', { headers: bearer(token) })).status).toBe(426);
  });
});

describe('the bind', () => {
  it('listens on 127.0.0.1 and on no other address', async () => {
    // The kernel's own table of listening sockets: the local address of ours must be 127.0.0.1.
    const listening = listeningAddresses(port);
    if (listening !== undefined) expect(listening).toEqual(['127.0.0.1']);

    const others = Object.values(networkInterfaces())
      .flat()
      .filter((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')
      .map((entry) => entry!.address);
    for (const address of others) {
      await expect(canConnect(address, port), address).resolves.toBe(false);
    }
    await expect(canConnect('127.0.0.1', port)).resolves.toBe(true);
  });

  it('binds 127.0.0.1 when asked for localhost', async () => {
    const server = await startWebServer({ engine: host.engine, port: 0, dataDir: host.dataDir, staticDir: host.staticDir, host: 'localhost' });
    try {
      const listening = listeningAddresses(server.port);
      if (listening !== undefined) expect(listening).toEqual(['127.0.0.1']);
      expect(server.url.startsWith(`http://127.0.0.1:${server.port}/`)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('security headers', () => {
  it('are on every response, refusals included', async () => {
    const answers = [
      await get(port, '/', { headers: bearer(token) }),
      await get(port, '/'),
      await get(port, '/health', { headers: bearer(token), host: 'evil.com' }),
      await get(port, '/missing.js', { headers: bearer(token) }),
      await get(port, `/?token=${token}`),
    ];
    for (const answer of answers) {
      const csp = String(answer.headers['content-security-policy']);
      expect(csp, String(answer.status)).toContain("default-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`);
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

/** Local addresses listening on `port`, from /proc/net/tcp; undefined where there is no /proc. */
function listeningAddresses(port: number): string[] | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8');
  } catch {
    return undefined;
  }
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${portHex}`))
    .map((fields) => decodeAddress(fields[1]!.split(':')[0]!));
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  return `ipv6:${hex}`;
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
