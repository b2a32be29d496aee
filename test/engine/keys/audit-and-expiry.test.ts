import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, KeyService } from '../../../electron/engine/keys/index.js';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

/** The audit log's folding and retention, and key expiry, against a real SQLite file and a clock the test moves. */
let dir = '';
let storage: Storage;
let clock = Date.parse('2026-03-01T10:00:00.000Z');
const now = () => new Date(clock);

beforeEach(() => {
  dir = makeTempDir('audit');
  storage = openStorage(dir);
  clock = Date.parse('2026-03-01T10:00:00.000Z');
});

afterEach(() => {
  storage.close();
  removeDir(dir);
});

describe('the audit log', () => {
  it('folds a burst of failures from one address into one entry that says how many', () => {
    const log = new AuditLog(storage.audit, { now, foldMs: 60_000 });
    for (let i = 0; i < 500; i++) log.record({ kind: 'auth.failed', address: '203.0.113.9', target: `GET /api/v1/runs/${i}`, detail: 'an unknown API key' });
    log.record({ kind: 'auth.failed', address: '203.0.113.10', target: 'GET /', detail: 'an unknown API key' });
    expect(storage.audit.count()).toBe(2);

    const entries = log.list({ kinds: ['auth.failed'] });
    expect(entries.map((e) => [e.address, e.target, e.detail])).toEqual([
      ['203.0.113.10', 'GET /', 'an unknown API key'],
      ['203.0.113.9', 'GET /api/v1/runs/0', 'an unknown API key (500 times within 60 s)'],
    ]);
    // After the fold closed, the next failure starts a new entry.
    log.record({ kind: 'auth.failed', address: '203.0.113.9', detail: 'an unknown API key' });
    expect(log.list({ kinds: ['auth.failed'] })).toHaveLength(3);
    log.close();
  });

  it('writes every key made and revoked as it happens, and filters by time and kind', () => {
    const log = new AuditLog(storage.audit, { now });
    log.record({ kind: 'key.created', keyName: 'ci', detail: 'made' });
    clock += 3_600_000;
    log.record({ kind: 'key.created', keyName: 'ci2', detail: 'made' });
    log.record({ kind: 'key.revoked', keyName: 'ci', detail: 'revoked' });
    expect(log.list({ since: new Date(clock).toISOString() }).map((e) => e.kind)).toEqual(['key.revoked', 'key.created']);
    expect(log.list({ kinds: ['key.created'] }).map((e) => e.keyName)).toEqual(['ci2', 'ci']);
    const newest = log.list({ limit: 1 });
    expect(log.list({ before: newest[0]!.id }).map((e) => e.keyName)).toEqual(['ci2', 'ci']);
  });

  it('stays bounded: old entries age out, and at most maxEntries are kept', () => {
    const log = new AuditLog(storage.audit, { now, retentionMs: 86_400_000, maxEntries: 300 });
    for (let i = 0; i < 1200; i++) log.record({ kind: 'key.created', keyName: `k${i}`, detail: 'made' });
    // Trimmed every 500 writes: never more than the bound plus one batch.
    expect(storage.audit.count()).toBeLessThanOrEqual(300 + 500);
    clock += 2 * 86_400_000;
    const later = new AuditLog(storage.audit, { now, retentionMs: 86_400_000, maxEntries: 300 });
    expect(storage.audit.count()).toBe(0);
    later.record({ kind: 'key.created', keyName: 'fresh', detail: 'made' });
    expect(later.list().map((e) => e.keyName)).toEqual(['fresh']);
  });
});

describe('key expiry', () => {
  it('opens until its expiry passes, then refuses with when it expired', async () => {
    const log = new AuditLog(storage.audit, { now });
    const keys = new KeyService(storage.apiKeys, log, now);
    const { key, secret } = await keys.create({ name: 'temp', scope: 'read', expiresInMs: 30 * 86_400_000 });
    expect(key.expiresAt).toBe('2026-03-31T10:00:00.000Z');
    expect((await keys.verify(secret, '192.0.2.1')).ok).toBe(true);
    clock += 30 * 86_400_000 - 1;
    expect((await keys.verify(secret, '192.0.2.1')).ok).toBe(true);
    clock += 1;
    expect(await keys.verify(secret, '192.0.2.1')).toEqual({ ok: false, reason: 'API key "temp" expired at 2026-03-31T10:00:00.000Z', prefix: key.prefix });
    expect(keys.list()[0]).toMatchObject({ name: 'temp', status: 'expired' });
  });
});
