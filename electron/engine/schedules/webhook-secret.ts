import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new webhook secret: 32 random bytes, shown to the user once. */
export function newWebhookSecret(): string {
  return `phwh_${randomBytes(32).toString('base64url')}`;
}

/** What is stored: a SHA-256 of the secret (it is random and long, so no slow hash is needed). */
export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether a presented secret is the one stored; compared in constant time over equal-length hashes. */
export function webhookSecretMatches(presented: string, storedHash: string): boolean {
  const given = Buffer.from(hashWebhookSecret(presented), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
