import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * API keys and the audit log: who besides the app itself may drive the engine, with how much, and
 * the record of what they tried. A key's secret is shown once when it is made and never again; the
 * engine keeps only a slow hash of it, and finds it by its prefix, which is not secret.
 */

/**
 * Each scope includes the ones before it. `read` sees everything but secrets; `run` also starts and
 * cancels runs, answers approvals and drives terminals and sessions; `admin` also manages agents,
 * secrets, keys, approval rules and the audit log.
 */
export const accessScopes = ['read', 'run', 'admin'] as const;
export type AccessScope = (typeof accessScopes)[number];

/** Whether a key of scope `held` may do what needs `needed`. */
export function scopeAllows(held: AccessScope, needed: AccessScope): boolean {
  return accessScopes.indexOf(held) >= accessScopes.indexOf(needed);
}

/** Every key begins with this, so a leaked one is recognisable (secret scanners, logs). */
export const apiKeyMarker = 'photon_';
/** `photon_<prefix>_<secret>`: the prefix (8 lowercase hex) names the key, the secret (43 base64url) proves it. */
export const apiKeyPattern = /^photon_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export const keyNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'use letters, digits, space, dot, dash or underscore (up to 64), starting with a letter or digit'),
);

/** `30d`, `12h`, `90m`: how long a new key lives. */
export const keyLifetimePattern = /^([1-9][0-9]{0,4})([mhd])$/;
const lifetimeUnitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The lifetime in milliseconds, or undefined when the text is not `N` followed by m, h or d. */
export function parseKeyLifetime(text: string): number | undefined {
  const match = keyLifetimePattern.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * lifetimeUnitMs[match[2] as keyof typeof lifetimeUnitMs];
}

/** What anyone may see of a key: never its secret nor its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The 8 hex characters after `photon_`: how a key is told apart in lists, logs and `keys revoke`. */
  prefix: string;
  scope: AccessScope;
  createdAt: string;
  /** Null for a key that never expires. */
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** The client address of that last use. */
  lastUsedFrom: string | null;
  /** `active`, or why the key no longer opens anything. */
  status: 'active' | 'expired' | 'revoked';
}

/** Who a valid key says is calling: what a host passes with each of that caller's requests. */
export interface KeyPrincipal {
  id: string;
  name: string;
  prefix: string;
  scope: AccessScope;
}

/** The one answer that carries a key's secret: shown to the user once, stored nowhere. */
export interface CreatedApiKey {
  key: ApiKeyInfo;
  secret: string;
}

/**
 * What the audit log records. `auth.failed`: a token or key that opens nothing (unknown, expired,
 * revoked, malformed). `key.used`: a key's requests, one entry per key and scope each minute it is
 * used (with how many). `key.created`, `key.revoked`. `scope.refused`: a key asked for more than
 * its scope. `rate.limited`: a request refused by the rate limit. `host.refused`, `origin.refused`:
 * requests for another host name (DNS rebinding) or from another web page.
 */
export const auditKinds = ['auth.failed', 'key.used', 'key.created', 'key.revoked', 'scope.refused', 'rate.limited', 'host.refused', 'origin.refused'] as const;
export type AuditKind = (typeof auditKinds)[number];

export interface AuditEntry {
  id: number;
  at: string;
  kind: AuditKind;
  /** The key concerned, when one was presented and found. */
  keyId: string | null;
  keyName: string | null;
  keyPrefix: string | null;
  scope: AccessScope | null;
  /** The client's address (`127.0.0.1`, `192.168.1.20`), or `local` for the app and the CLI. */
  address: string | null;
  /** What was asked: a contract method, or an HTTP method and path. */
  target: string | null;
  /** Why, in words: the reason a request was refused, the count of a key's requests. */
  detail: string;
}

export const keyCreateParams = lazySchema(() =>
  z
    .object({
      name: keyNameSchema,
      scope: z.enum(accessScopes),
      /** Milliseconds from now; absent for a key that never expires. At most ten years. */
      expiresInMs: z.number().int().min(60_000, 'a key must live at least a minute').max(10 * 365 * 86_400_000, 'at most ten years').optional(),
    })
    .strict(),
);

export const keyRevokeParams = lazySchema(() => z.object({ key: z.string().trim().min(1, 'name the key: its name or its prefix').max(100) }).strict());

export const auditListParams = lazySchema(() =>
  z
    .object({
      /** ISO time: only entries at or after it. */
      since: z.iso.datetime({ offset: true, message: 'must be an ISO date-time such as 2026-01-31T12:00:00Z' }).optional(),
      kinds: z.array(z.enum(auditKinds)).min(1).max(auditKinds.length).optional(),
      /** Entries before this id (the last page's smallest), for paging back through a long log. */
      before: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
    })
    .strict()
    .optional(),
);
