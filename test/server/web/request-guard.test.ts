/** The guard's decisions as plain functions: Host, Origin, where the token may come from. */
import { describe, expect, it } from 'vitest';
import { createRequestGuard, readCookie, sessionCookie, tokensEqual, withoutToken, type GuardedRequest } from '../../../electron/server/web/request-guard.js';

const port = 7420;
const token = 'a1'.repeat(32);
const guard = createRequestGuard({ port, token });
const own = { host: `127.0.0.1:${port}` };

function request(url: string, headers: GuardedRequest['headers']): GuardedRequest {
  return { url, headers };
}

describe('checkRequest', () => {
  it('lets the token in from the header, the query or the cookie, and says which', () => {
    expect(guard.checkRequest(request('/', { ...own, authorization: `Bearer ${token}` }))).toMatchObject({ ok: true, via: 'header' });
    expect(guard.checkRequest(request(`/?token=${token}`, own))).toMatchObject({ ok: true, via: 'query' });
    expect(guard.checkRequest(request('/', { ...own, cookie: `theme=dark; photon_token_${port}=${token}` }))).toMatchObject({ ok: true, via: 'cookie' });
    expect(guard.checkRequest(request('/', { ...own, authorization: `bearer ${token}` }))).toMatchObject({ ok: true, via: 'header' });
  });

  it('refuses without a valid token with 401', () => {
    expect(guard.checkRequest(request('/', own))).toMatchObject({ ok: false, status: 401 });
    expect(guard.checkRequest(request(`/?token=${token}x`, own))).toMatchObject({ ok: false, status: 401 });
    expect(guard.checkRequest(request('/', { ...own, authorization: token }))).toMatchObject({ ok: false, status: 401 });
  });

  it('checks the Host first, whatever the token', () => {
    for (const host of ['evil.com', `evil.com:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port}.evil.com`, '']) {
      expect(guard.checkRequest(request(`/?token=${token}`, { host })), host).toMatchObject({ ok: false, status: 421 });
    }
    expect(guard.checkRequest(request(`/?token=${token}`, {}))).toMatchObject({ ok: false, status: 421 });
    expect(guard.checkRequest(request(`/?token=${token}`, { host: `localhost:${port}` }))).toMatchObject({ ok: true });
  });

  it('refuses a foreign Origin with 403 and accepts its own', () => {
    const withToken = { ...own, authorization: `Bearer ${token}` };
    expect(guard.checkRequest(request('/', { ...withToken, origin: 'http://evil.com' }))).toMatchObject({ ok: false, status: 403 });
    expect(guard.checkRequest(request('/', { ...withToken, origin: `http://localhost:${port}` }))).toMatchObject({ ok: true });
    expect(guard.checkRequest(request('/', { ...withToken, origin: `http://127.0.0.1:${port}` }))).toMatchObject({ ok: true });
  });

  it('refuses request targets that are not a path', () => {
    const headers = { ...own, authorization: `Bearer ${token}` };
    expect(guard.checkRequest(request('http://evil.com/', headers))).toMatchObject({ ok: false, status: 400 });
    expect(guard.checkRequest(request('*', headers))).toMatchObject({ ok: false, status: 400 });
  });
});

describe('checkUpgrade', () => {
  it('refuses the cookie alone from a client that sends no Origin', () => {
    expect(guard.checkUpgrade(request('/rpc', { ...own, cookie: `photon_token_${port}=${token}` }))).toMatchObject({ ok: false, status: 403 });
    expect(guard.checkUpgrade(request('/rpc', { ...own, cookie: `photon_token_${port}=${token}`, origin: `http://127.0.0.1:${port}` }))).toMatchObject({ ok: true });
    expect(guard.checkUpgrade(request(`/rpc?token=${token}`, own))).toMatchObject({ ok: true, via: 'query' });
  });
});

describe('helpers', () => {
  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual('', token)).toBe(false);
    expect(tokensEqual(`${token}${token}`, token)).toBe(false);
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; b=2;c=3', 'b')).toBe('2');
    expect(readCookie('ab=1', 'a')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });

  it('writes the cookie HttpOnly, SameSite=Strict, for the whole site', () => {
    expect(sessionCookie('photon_token_1', 'x')).toMatch(/^photon_token_1=x; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
  });

  it('strips the token from a URL and keeps the rest, never leaving it protocol-relative', () => {
    const base = 'http://127.0.0.1:7420';
    expect(withoutToken(new URL(`/runs/1?token=${token}&tab=2`, base))).toBe('/runs/1?tab=2');
    expect(withoutToken(new URL(`/?token=${token}`, base))).toBe('/');
    expect(withoutToken(new URL(`/.//evil.com?token=${token}`, base))).toBe('/evil.com');
  });
});
