import { describe, expect, it } from 'vitest';
import type { ApiKeyInfo, AuditEntry } from '../../shared/access.js';
import { parseRoute, routeHref } from '../../renderer/lib/route.js';
import { auditJsonLines, keyStateText, lastUseText } from '../../renderer/settings/access-words.js';

const key: ApiKeyInfo = {
  id: 'k1',
  name: 'ci',
  prefix: 'ab12cd34',
  scope: 'run',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-31T10:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  lastUsedFrom: null,
  status: 'active',
};
const now = Date.parse('2026-03-01T10:00:00.000Z');

describe('the Settings page words', () => {
  it('says how long a key lives, or why it stopped', () => {
    expect(keyStateText(key, now)).toBe('Active, expires in 30 days');
    expect(keyStateText({ ...key, expiresAt: null }, now)).toBe('Active, never expires');
    expect(keyStateText({ ...key, status: 'revoked', revokedAt: '2026-03-02T10:00:00.000Z' }, now)).toMatch(/^Revoked 2026-03-0[12] /);
    expect(keyStateText({ ...key, status: 'expired' }, now)).toMatch(/^Expired 2026-03-3[01] /);
    expect(lastUseText(key)).toBe('Never used');
    expect(lastUseText({ ...key, lastUsedAt: '2026-03-01T11:00:00.000Z', lastUsedFrom: '192.0.2.7' })).toMatch(/ from 192\.0\.2\.7$/);
  });

  it('exports the log as JSON lines, oldest first, one entry a line', () => {
    const entry = (id: number): AuditEntry => ({ id, at: `2026-03-0${id}T10:00:00.000Z`, kind: 'auth.failed', keyId: null, keyName: null, keyPrefix: null, scope: null, address: '192.0.2.7', target: 'GET /', detail: 'line\nbreak' });
    const text = auditJsonLines([entry(3), entry(2), entry(1)]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((line) => (JSON.parse(line) as AuditEntry).id)).toEqual([1, 2, 3]);
  });

  it('has its own address, #/settings', () => {
    expect(parseRoute('#/settings')).toEqual({ view: 'settings' });
    expect(routeHref({ view: 'settings' })).toBe('#/settings');
  });
});
