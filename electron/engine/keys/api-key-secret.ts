/**
 * The secret half of an API key: how one is made, hashed and checked. The hash is scrypt with a salt
 * of the key's own, so a copy of the database gives no usable key and no two keys share work; the
 * comparison is constant-time. The secrets are 256 random bits, so the slow hash guards against a
 * stolen database rather than guessing, and the cost falls once per key and process (see KeyService).
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { apiKeyMarker, apiKeyPattern } from '../../../shared/access.js';

/** N = 2^14, r = 8: about 16 MiB and tens of milliseconds a hash, off the event loop. */
const scryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const hashBytes = 32;

export interface NewKeySecret {
  /** The whole key as the user copies it: `photon_<prefix>_<secret>`. */
  text: string;
  prefix: string;
  salt: Buffer;
  hash: Buffer;
}

export async function makeKeySecret(prefix = randomBytes(4).toString('hex')): Promise<NewKeySecret> {
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  return { text: `${apiKeyMarker}${prefix}_${secret}`, prefix, salt, hash: await hashSecret(secret, salt) };
}

/** The prefix and secret of a key's text, or undefined when it is not shaped like a Photon key. */
export function parseKey(text: string): { prefix: string; secret: string } | undefined {
  const match = apiKeyPattern.exec(text);
  return match ? { prefix: match[1]!, secret: match[2]! } : undefined;
}

export function looksLikeKey(text: string): boolean {
  return text.startsWith(apiKeyMarker);
}

export function hashSecret(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, hashBytes, scryptOptions, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}

/** Constant-time: both are fixed-length digests, so nothing about the secret leaks through timing. */
export async function secretMatches(secret: string, salt: Buffer, hash: Buffer): Promise<boolean> {
  const candidate = await hashSecret(secret, salt);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/**
 * A fast keyed digest of a secret that this process has already checked with scrypt, so the next
 * request with the same key costs a lookup. The HMAC key lives in memory only and dies with the
 * process: the cache holds nothing that would open anything elsewhere.
 */
export function createVerifiedCache(capacity = 1000): {
  has(prefix: string, secret: string): boolean;
  add(prefix: string, secret: string): void;
  forget(prefix: string): void;
  /** Names a prefix and secret without holding the secret: for proofs under way. */
  idOf(prefix: string, secret: string): string;
} {
  const pepper = randomBytes(32);
  const digests = new Map<string, Buffer>();
  const digest = (secret: string) => createHmac('sha256', pepper).update(secret, 'utf8').digest();
  return {
    has(prefix, secret) {
      const known = digests.get(prefix);
      return known !== undefined && timingSafeEqual(known, digest(secret));
    },
    add(prefix, secret) {
      // Oldest out first: a Map keeps insertion order.
      if (digests.size >= capacity) digests.delete(digests.keys().next().value!);
      digests.set(prefix, digest(secret));
    },
    forget(prefix) {
      digests.delete(prefix);
    },
    idOf: (prefix, secret) => `${prefix}:${digest(secret).toString('base64url')}`,
  };
}
