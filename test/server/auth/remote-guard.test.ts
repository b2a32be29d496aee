import { describe, expect, it } from 'vitest';
import { createRequestGuard, isThisMachine, sessionCookie } from '../../../electron/server/web/request-guard.js';

const port = 7443;
const token = 'a'.repeat(64);
const remote = createRequestGuard({ port, token, secure: true, extraHosts: ['192.0.2.2', 'photon-box'], tokenFromThisMachineOnly: true });
const from = (remoteAddress: string, localAddress = '192.0.2.2') => ({ remoteAddress, localAddress });

describe('the guard of a listener beyond loopback', () => {
  it('answers to the machine\'s address and names, over https only', () => {
    const ok = remote.checkRequest({ url: '/', headers: { host: '192.0.2.2:7443', origin: 'https://192.0.2.2:7443', authorization: `Bearer ${token}` }, socket: from('127.0.0.1') });
    expect(ok).toMatchObject({ ok: true, via: 'header' });
    expect(remote.checkRequest({ url: '/', headers: { host: 'photon-box:7443', authorization: `Bearer ${token}` }, socket: from('::1') })).toMatchObject({ ok: true });
    expect(remote.checkRequest({ url: '/', headers: { host: 'evil.example:7443' }, socket: from('127.0.0.1') })).toMatchObject({ ok: false, status: 421, audit: 'host.refused' });
    // The same page over plain http is another origin.
    expect(remote.checkRequest({ url: '/', headers: { host: '192.0.2.2:7443', origin: 'http://192.0.2.2:7443' }, socket: from('127.0.0.1') })).toMatchObject({ ok: false, status: 403 });
  });

  it('takes the app\'s token from this machine only: another machine must use an API key', () => {
    const headers = { host: '192.0.2.2:7443', authorization: `Bearer ${token}` };
    expect(remote.checkRequest({ url: '/', headers, socket: from('192.0.2.77') })).toMatchObject({ ok: false, status: 401 });
    expect(remote.checkRequest({ url: `/?token=${token}`, headers: { host: '192.0.2.2:7443' }, socket: from('192.0.2.77') })).toMatchObject({ ok: false, status: 401 });
    // This machine talking to its own network address is this machine.
    expect(remote.checkRequest({ url: '/', headers, socket: from('192.0.2.2') })).toMatchObject({ ok: true });
    expect(remote.checkRequest({ url: '/', headers, socket: from('::ffff:127.0.0.1', '::ffff:127.0.0.1') })).toMatchObject({ ok: true });
    expect(isThisMachine({ remoteAddress: '::ffff:192.0.2.2', localAddress: '::ffff:192.0.2.2' })).toBe(true);
    expect(isThisMachine(undefined)).toBe(false);
  });

  it('marks the session cookie Secure over TLS', () => {
    expect(sessionCookie('photon_token_7443', 'x', true)).toMatch(/^photon_token_7443=x; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=\d+$/);
  });
});
