import type { ApiKeyInfo, AuditEntry, AuditKind } from '../../shared/access.js';

/** How the Settings page names each audit event. */
export const auditKindWords: Record<AuditKind, string> = {
  'auth.failed': 'Sign-in failed',
  'key.used': 'Key used',
  'key.created': 'Key made',
  'key.revoked': 'Key revoked',
  'scope.refused': 'Beyond its scope',
  'rate.limited': 'Rate limited',
  'host.refused': 'Wrong host name',
  'origin.refused': 'Other web page',
};

/** Kinds a person wants to notice: something was refused. */
export function isRefusal(kind: AuditKind): boolean {
  return kind === 'auth.failed' || kind === 'scope.refused' || kind === 'rate.limited' || kind === 'host.refused' || kind === 'origin.refused';
}

const day = 86_400_000;

/** The lifetimes the form offers; "never" keeps a key until it is revoked. */
export const keyLifetimes: readonly { label: string; ms: number | undefined }[] = [
  { label: 'Never expires', ms: undefined },
  { label: '7 days', ms: 7 * day },
  { label: '30 days', ms: 30 * day },
  { label: '90 days', ms: 90 * day },
  { label: '1 year', ms: 365 * day },
];

/** A key's state in words: when it stops, or why it no longer works. */
export function keyStateText(key: ApiKeyInfo, now: number): string {
  if (key.status === 'revoked') return `Revoked ${shortDate(key.revokedAt!)}`;
  if (key.status === 'expired') return `Expired ${shortDate(key.expiresAt!)}`;
  if (key.expiresAt === null) return 'Active, never expires';
  const days = Math.ceil((Date.parse(key.expiresAt) - now) / day);
  return days <= 1 ? `Active, expires ${shortDate(key.expiresAt)}` : `Active, expires in ${days} days`;
}

export function lastUseText(key: ApiKeyInfo): string {
  return key.lastUsedAt ? `${shortDate(key.lastUsedAt)} from ${key.lastUsedFrom ?? 'an unknown address'}` : 'Never used';
}

/** The export: one JSON object a line, oldest first, as log collectors read them. */
export function auditJsonLines(newestFirst: readonly AuditEntry[]): string {
  return [...newestFirst]
    .reverse()
    .map((entry) => `${JSON.stringify(entry)}\n`)
    .join('');
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
