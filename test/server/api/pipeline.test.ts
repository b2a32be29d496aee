/**
 * The API's request pipeline over real HTTP: the envelope on every answer, the session token and
 * the web host's Host and Origin checks, the access hooks issue 18B plugs keys and limits into,
 * and the refusals a broken client earns.
 */
import { describe, expect, it } from 'vitest';
import { ApiFailure, type ApiPrincipal } from '../../../electron/server/api/index.js';
import { expectEnvelope, useApiHost } from './helpers.js';

const api = useApiHost();

describe('the envelope', () => {
  it('wraps /health with a request id, a timestamp and the processing time', async () => {
    const answer = await api.call('GET', '/health');
    expect(answer.status).toBe(200);
    expectEnvelope(answer, true);
    expect(answer.body.data).toEqual({ status: 'ok' });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // The web host's security headers reach API answers too.
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives each request its own id', async () => {
    const [a, b] = await Promise.all([api.call('GET', '/health'), api.call('GET', '/health')]);
    expect(a.body.requestId).not.toBe(b.body.requestId);
  });

  it('answers an unknown endpoint with not_found in the envelope, naming where the list is', async () => {
    const answer = await api.call('GET', '/api/v1/nothing-here');
    expect(answer.status).toBe(404);
    expectEnvelope(answer, false);
    expect(answer.body.error).toMatchObject({ code: 'not_found' });
    expect(answer.body.error?.message).toContain('/api/v1/openapi.json');
  });
});

describe('the session token', () => {
  it('is required: without it, 401 in the envelope with a Bearer challenge', async () => {
    const answer = await api.call('GET', '/health', { token: null });
    expect(answer.status).toBe(401);
    expectEnvelope(answer, false);
    expect(answer.body.error?.code).toBe('unauthorized');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await api.call('GET', '/api/v1/nothing-here', { token: 'f'.repeat(64) })).status).toBe(401);
  });

  it('works as the browser app sends it: the cookie, with its own Origin', async () => {
    const port = api.host.server.port;
    const answer = await api.call('GET', '/health', { token: null, headers: { cookie: `photon_token_${port}=${api.host.server.token}`, origin: `http://127.0.0.1:${port}` } });
    expect(answer.status).toBe(200);
  });

  it('keeps the web host\'s Host and Origin checks in front of the API', async () => {
    const port = api.host.server.port;
    const other = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${api.host.server.token}`, origin: 'http://evil.example' } });
    expect(other.status).toBe(403);
    // fetch will not send a forged Host header; node:http will.
    const { get } = await import('../web/helpers.js');
    const rebound = await get(port, '/api/v1/health', { host: `attacker.example:${port}`, headers: { authorization: `Bearer ${api.host.server.token}` } });
    expect(rebound.status).toBe(421);
  });
});

describe('the access hooks (where API keys, scopes and rate limits plug in)', () => {
  const seen: string[] = [];
  const readKey: ApiPrincipal = { kind: 'key', name: 'ci reader', keyId: 'abcd1234', scope: 'read' };

  const hooked = useApiHost({
    apiAccess: {
      before: [
        async (c, next) => {
          seen.push(c.req.path);
          if (c.req.header('x-test-burst') === 'yes') throw new ApiFailure('rate_limited', 'slow down', { headers: { 'Retry-After': '7' } });
          await next();
        },
      ],
      authenticate: (request) => {
        const key = request.headers['x-api-key'];
        if (key === 'revoked') throw new ApiFailure('unauthorized', 'this key was revoked');
        return key === 'reader' ? readKey : undefined;
      },
    },
  });

  it('run before authentication, and refuse with their own code, headers and the envelope', async () => {
    const answer = await hooked.call('GET', '/health', { token: null, headers: { 'x-test-burst': 'yes' } });
    expect(answer.status).toBe(429);
    expectEnvelope(answer, false);
    expect(answer.body.error).toMatchObject({ code: 'rate_limited', message: 'slow down' });
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(seen).toContain('/health');
  });

  it('authenticate a request that has no session token', async () => {
    expect((await hooked.call('GET', '/health', { token: null, headers: { 'x-api-key': 'reader' } })).status).toBe(200);
    expect((await hooked.call('GET', '/health', { token: null, headers: { 'x-api-key': 'unknown' } })).status).toBe(401);
    const revoked = await hooked.call('GET', '/health', { token: null, headers: { 'x-api-key': 'revoked' } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.message).toBe('this key was revoked');
  });
});
