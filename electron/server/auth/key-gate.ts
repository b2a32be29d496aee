/**
 * The door for callers that are not the app itself: API keys in `X-API-Key` or `Authorization:
 * Bearer`, checked by the engine, limited by token buckets per key and per client address, every
 * refusal written to the audit log. Plain Node: the REST API's hooks and the WebSocket guard both
 * call it, so a key means the same thing on every wire.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessScope, KeyPrincipal } from '../../../shared/access.js';
import type { EngineAccess } from '../../engine/index.js';
import { createRateLimiter, type RateLimiter, type RatePolicy } from './rate-limiter.js';

export interface AccessLimits {
  /** Each key's bucket; on by default. */
  key: RatePolicy | null;
  /** Each client address's bucket, for every request that does not carry the app's own token; off by default. */
  address: RatePolicy | null;
  /** Failed sign-ins an address may make before it is refused without a look at what it sends. */
  failures: RatePolicy;
}

export const defaultAccessLimits: AccessLimits = {
  key: { limit: 600, windowSeconds: 60 },
  address: null,
  failures: { limit: 30, windowSeconds: 60 },
};

export type Admission =
  | { ok: true; key: KeyPrincipal; address: string; headers: Record<string, string> }
  | { ok: false; code: 'unauthorized' | 'rate_limited'; message: string; headers: Record<string, string>; reason?: string };

export interface KeyGate {
  /** Who the key on this request is, or why it is refused: limits first, then the key itself. */
  admit(headers: IncomingHttpHeaders, address: string, target: string): Promise<Admission>;
  /** The same for a key already in hand: each message on a socket opened with it. */
  admitKey(text: string | undefined, address: string, target: string): Promise<Admission>;
  /** Throws a `forbidden` PhotonError (audited) when the key's scope is below `needed`. */
  authorize(key: KeyPrincipal, needed: AccessScope, target: string, address: string): void;
  /** A request the web guard refused for its Host or Origin, for the audit log. */
  refusedByGuard(kind: 'host.refused' | 'origin.refused', address: string, target: string, reason: string): void;
}

/** The key a request presents: `X-API-Key`, else the `Authorization: Bearer` value (which was not the app's token). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey !== undefined && apiKey.trim() !== '') return apiKey.trim();
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
}

/** The peer's address as the audit log and the buckets name it (an IPv4 peer without its IPv6 mapping). */
export function clientAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

export function createKeyGate(access: EngineAccess, limits: AccessLimits = defaultAccessLimits): KeyGate {
  const byKey: RateLimiter | null = limits.key ? createRateLimiter('key', limits.key) : null;
  const byAddress: RateLimiter | null = limits.address ? createRateLimiter('address', limits.address) : null;
  const failures = createRateLimiter('sign-in', limits.failures);

  const limited = (headers: Record<string, string>, retryAfter: number, who: string): Admission => ({
    ok: false,
    code: 'rate_limited',
    message: `too many requests from ${who}; try again in ${retryAfter} s`,
    headers,
  });

  const admitKey = async (text: string | undefined, address: string, target: string): Promise<Admission> => {
    let rateHeaders: Record<string, string> = {};
    if (byAddress) {
      const decision = byAddress.take(address);
      rateHeaders = decision.headers;
      if (!decision.allowed) {
        access.audit({ kind: 'rate.limited', address, target, detail: 'address over its rate limit' });
        return limited(decision.headers, decision.retryAfterSeconds, address);
      }
    }
    // An address that keeps failing is refused before its next guess costs a slow hash.
    const blocked = failures.peek(address);
    if (!blocked.allowed) {
      access.audit({ kind: 'rate.limited', address, target, detail: 'too many failed sign-ins' });
      return limited(blocked.headers, blocked.retryAfterSeconds, address);
    }
    const check = text === undefined ? ({ ok: false, reason: 'no token or API key' } as const) : await access.verifyKey(text, address);
    if (!check.ok) {
      failures.take(address);
      access.audit({ kind: 'auth.failed', address, target, keyPrefix: 'prefix' in check ? (check.prefix ?? null) : null, detail: check.reason });
      return { ok: false, code: 'unauthorized', message: `refused: ${check.reason}. Send a valid API key in X-API-Key or Authorization: Bearer`, headers: {}, reason: check.reason };
    }
    if (byKey) {
      const decision = byKey.take(check.key.id);
      rateHeaders = decision.headers;
      if (!decision.allowed) {
        const { key } = check;
        access.audit({ kind: 'rate.limited', keyId: key.id, keyName: key.name, keyPrefix: key.prefix, scope: key.scope, address, target, detail: 'key over its rate limit' });
        return limited(decision.headers, decision.retryAfterSeconds, `key "${key.name}"`);
      }
    }
    return { ok: true, key: check.key, address, headers: rateHeaders };
  };

  return {
    admit: (headers, address, target) => admitKey(presentedKey(headers), address, target),
    admitKey,
    authorize: (key, needed, target, address) => access.authorize(key, needed, target, address),
    refusedByGuard(kind, address, target, reason) {
      access.audit({ kind, address, target, detail: reason });
    },
  };
}
