/**
 * Who may talk to the browser host. Every HTTP request and WebSocket upgrade passes here first:
 * the Host allowlist (defeats DNS rebinding: a hostile page's domain re-pointed at 127.0.0.1 still
 * carries its own name in Host), the Origin check (no other web page drives the engine, even one on
 * another localhost port, which is "same-site" to a browser), then the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Where a valid token was found; a query token on a page load is traded for the cookie. */
export type CredentialSource = 'header' | 'query' | 'cookie';

export type Verdict =
  | { ok: true; via: CredentialSource; url: URL }
  | { ok: false; status: 400 | 401 | 403 | 404 | 421; reason: string; audit?: 'host.refused' | 'origin.refused' };

export interface GuardedRequest {
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  /** The connection: whether the token may be taken from this peer when listening beyond loopback. */
  socket?: { remoteAddress?: string | undefined; localAddress?: string | undefined };
}

export interface GuardOptions {
  port: number;
  token: string;
  /** More `host` names (addresses, the machine's names) to answer to: when listening beyond loopback. */
  extraHosts?: readonly string[];
  /** Served over TLS: origins are https, and the session cookie is Secure. */
  secure?: boolean;
  /**
   * Take the app's token only from this machine itself; other machines must use API keys. On when
   * listening beyond loopback: the token opens everything and is never rotated.
   */
  tokenFromThisMachineOnly?: boolean;
}

export interface RequestGuard {
  readonly cookieName: string;
  readonly origins: readonly string[];
  /** An HTTP request: Host, then Origin when the browser sent one, then the token. */
  checkRequest(request: GuardedRequest): Verdict;
  /** A WebSocket upgrade: as a request, and a client without an Origin must not rely on the cookie. */
  checkUpgrade(request: GuardedRequest): Verdict;
}

export const unauthorizedReason = 'a valid token is required: open the URL printed by `photon serve`';

export function createRequestGuard(options: GuardOptions): RequestGuard {
  const { port, token } = options;
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, ...(options.extraHosts ?? []).map((name) => `${name.toLowerCase()}:${port}`)]);
  const origins = [...hosts].map((host) => `${options.secure ? 'https' : 'http'}://${host}`);
  // Cookies are shared by every port of a host, so the port keeps two Photons from clobbering each other.
  const cookieName = `photon_token_${port}`;

  const check = (request: GuardedRequest): Verdict => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !hosts.has(host)) {
      return { ok: false, status: 421, reason: `this server answers only to ${[...hosts].join(' or ')}`, audit: 'host.refused' };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
      return { ok: false, status: 403, reason: 'requests from other web pages are refused', audit: 'origin.refused' };
    }
    // Origin-form targets only: an absolute URL (proxy form) or `*` has no business here.
    if (!request.url?.startsWith('/')) return { ok: false, status: 400, reason: 'bad request target' };
    let url: URL;
    try {
      url = new URL(request.url, origins[0]);
    } catch {
      return { ok: false, status: 400, reason: 'bad request target' };
    }
    const fromHere = !options.tokenFromThisMachineOnly || isThisMachine(request.socket);
    const via = fromHere ? findCredential(request.headers, url, cookieName, token) : undefined;
    if (via === undefined) return { ok: false, status: 401, reason: unauthorizedReason };
    return { ok: true, via, url };
  };

  return {
    cookieName,
    origins,
    checkRequest: check,
    checkUpgrade(request) {
      const verdict = check(request);
      // A browser always sends Origin on a WebSocket; a client without one is not a browser and has
      // no business holding the browser's cookie, so it must present the token itself.
      if (verdict.ok && request.headers.origin === undefined && verdict.via === 'cookie') {
        return { ok: false, status: 403, reason: 'a client without an Origin must send the token in the Authorization header or the query' };
      }
      return verdict;
    },
  };
}

function findCredential(headers: IncomingHttpHeaders, url: URL, cookieName: string, token: string): CredentialSource | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined && tokensEqual(bearer, token)) return 'header';
  const query = url.searchParams.get('token');
  if (query !== null && tokensEqual(query, token)) return 'query';
  const cookie = readCookie(headers.cookie, cookieName);
  if (cookie !== undefined && tokensEqual(cookie, token)) return 'cookie';
  return undefined;
}

/** A loopback peer, or a peer at this machine's own address (the machine talking to itself over its LAN address). */
export function isThisMachine(socket: GuardedRequest['socket']): boolean {
  const remote = socket?.remoteAddress?.replace(/^::ffff:/, '');
  if (!remote) return false;
  return remote === '::1' || remote.startsWith('127.') || remote === socket?.localAddress?.replace(/^::ffff:/, '');
}

/** Constant time whatever the candidate's length: both sides are hashed to 32 bytes first. */
export function tokensEqual(candidate: string, token: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(candidate), digest(token));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Long enough that a bookmark of the bare URL keeps working; the token itself never expires. */
const cookieMaxAgeSeconds = 30 * 24 * 60 * 60;

export function sessionCookie(name: string, token: string, secure = false): string {
  return `${name}=${token}; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Strict; Path=/; Max-Age=${cookieMaxAgeSeconds}`;
}

/** The same page without the token in its address, so it leaves no trace in history or bookmarks. */
export function withoutToken(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete('token');
  const query = params.toString();
  // One leading slash only: `//host` in a Location header would send the browser elsewhere.
  const path = `/${url.pathname.replace(/^\/+/, '')}`;
  return query ? `${path}?${query}` : path;
}
