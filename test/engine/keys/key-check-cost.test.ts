import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Every scrypt the key code runs, counted; the real one still does the work. */
const scryptCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const scrypt = ((...args: Parameters<typeof real.scrypt>) => {
    scryptCalls.count += 1;
    return (real.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof real.scrypt;
  return { ...real, default: { ...real, scrypt }, scrypt };
});

const { AuditLog, KeyService } = await import('../../../electron/engine/keys/index.js');
const { openStorage } = await import('../../../electron/engine/storage/index.js');
const { makeTempDir, removeDir } = await import('../helpers.js');
type Storage = ReturnType<typeof openStorage>;

/**
 * What checking a key costs and what it remembers, against a real SQLite file: the slow hash runs
 * once per key in a process, not per request, yet a revocation (here, or by another process on the
 * same database) refuses the very next request.
 */
let dir = '';
const opened: Storage[] = [];
const open = () => {
  const storage = openStorage(dir);
  opened.push(storage);
  return new KeyService(storage.apiKeys, new AuditLog(storage.audit));
};

beforeEach(() => {
  dir = makeTempDir('key-cost');
});

afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
  removeDir(dir);
});

describe('checking an API key', () => {
  it('runs the slow hash once per key, not once per request (a wrong secret is hashed each time)', async () => {
    const keys = open();
    const a = await keys.create({ name: 'ci', scope: 'run' });
    const b = await keys.create({ name: 'phone', scope: 'read' });
    scryptCalls.count = 0;
    for (let i = 0; i < 50; i++) {
      expect((await keys.verify(a.secret, '192.0.2.1')).ok).toBe(true);
      expect((await keys.verify(b.secret, '192.0.2.2')).ok).toBe(true);
    }
    expect(scryptCalls.count).toBe(2);
    // A wrong secret for a known prefix is hashed each time: nothing about it was proven.
    const wrong = `${a.secret.slice(0, -1)}${a.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await keys.verify(wrong, '192.0.2.9')).toMatchObject({ ok: false, reason: 'an API key with a wrong secret' });
    expect(await keys.verify(wrong, '192.0.2.9')).toMatchObject({ ok: false, reason: 'an API key with a wrong secret' });
    expect(scryptCalls.count).toBe(4);
    expect((await keys.verify(a.secret, '192.0.2.1')).ok).toBe(true);
    expect(scryptCalls.count).toBe(4);
  });

  it('runs one slow hash for requests that arrive together with a key not yet proven', async () => {
    const { secret } = await open().create({ name: 'fleet', scope: 'run' });
    // A server just started: its first requests come from many connections at once.
    const keys = open();
    scryptCalls.count = 0;
    const checks = await Promise.all(Array.from({ length: 20 }, (_, i) => keys.verify(secret, `192.0.2.${i}`)));
    expect(checks.every((check) => check.ok)).toBe(true);
    expect(scryptCalls.count).toBe(1);
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const refused = await Promise.all([keys.verify(wrong, '192.0.2.9'), keys.verify(wrong, '192.0.2.9'), keys.verify(secret, '192.0.2.1')]);
    expect(refused.map((check) => check.ok)).toEqual([false, false, true]);
    expect(scryptCalls.count).toBe(2);
  });

  it('refuses the next request once the key is revoked, here or by another process on the same database', async () => {
    const keys = open();
    const a = await keys.create({ name: 'here', scope: 'run' });
    const b = await keys.create({ name: 'there', scope: 'run' });
    for (let i = 0; i < 3; i++) {
      expect((await keys.verify(a.secret, '192.0.2.1')).ok).toBe(true);
      expect((await keys.verify(b.secret, '192.0.2.1')).ok).toBe(true);
    }
    keys.revoke('here');
    expect(await keys.verify(a.secret, '192.0.2.1')).toMatchObject({ ok: false, reason: expect.stringMatching(/^API key "here" was revoked at /) });

    // `photon keys revoke` in another terminal: its own connection to the same file.
    open().revoke('there');
    expect(await keys.verify(b.secret, '192.0.2.1')).toMatchObject({ ok: false, reason: expect.stringMatching(/^API key "there" was revoked at /) });
  });
});
