import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyPrincipal } from '../../../shared/access.js';
import { openDatabaseFile, startEngine, useSandbox } from '../helpers.js';

/** API keys through the engine's contract and its access door, on a real SQLite file. */
const sandbox = useSandbox('keys');

const asKey = (key: KeyPrincipal) => ({ clientId: 'api-test', key, address: '192.0.2.7' });

describe('API keys', () => {
  it('shows the secret once, keeps only a salted slow hash, and lists by name, prefix and scope', async () => {
    const { engine, dataDir } = sandbox;
    const created = await engine.call('keys.create', { name: 'ci', scope: 'run' });
    expect(created.secret).toMatch(new RegExp(`^photon_${created.key.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(created.key).toMatchObject({ name: 'ci', scope: 'run', status: 'active', expiresAt: null, lastUsedAt: null });

    const listed = await engine.call('keys.list', undefined);
    expect(listed).toEqual([created.key]);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(16));

    const secretPart = created.secret.split('_').slice(2).join('_');
    const db = openDatabaseFile(dataDir);
    const row = db.prepare('SELECT salt, hash FROM api_keys').get() as { salt: Buffer; hash: Buffer };
    db.close();
    expect(row.salt.length).toBe(16);
    expect(row.hash.length).toBe(32);
    // Neither the key nor its secret is anywhere in the database files.
    for (const file of ['photon.db', 'photon.db-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(join(dataDir, file)).toString('latin1');
      } catch {
        continue;
      }
      // Any 12 characters of it would already be too many.
      for (let at = 0; at + 12 <= secretPart.length; at += 12) expect(bytes).not.toContain(secretPart.slice(at, at + 12));
    }
  });

  it('opens with the right secret only, and records its last use', async () => {
    const { engine } = sandbox;
    const { key, secret } = await engine.call('keys.create', { name: 'reader', scope: 'read' });
    const check = await engine.access.verifyKey(secret, '192.0.2.7');
    expect(check).toEqual({ ok: true, key: { id: key.id, name: 'reader', prefix: key.prefix, scope: 'read' } });

    const lastChar = secret.at(-1) === 'A' ? 'B' : 'A';
    const wrong = await engine.access.verifyKey(`${secret.slice(0, -1)}${lastChar}`, '192.0.2.7');
    expect(wrong).toMatchObject({ ok: false, reason: 'an API key with a wrong secret' });
    expect(await engine.access.verifyKey('photon_deadbeef_nope', '192.0.2.7')).toMatchObject({ ok: false, reason: expect.stringContaining('malformed') });

    const [listed] = await engine.call('keys.list', undefined);
    expect(listed).toMatchObject({ lastUsedFrom: '192.0.2.7' });
    expect(Date.parse(listed!.lastUsedAt!)).toBeGreaterThan(Date.parse(key.createdAt) - 1);
  });

  it('stops opening the moment it is revoked, also when another Photon process revokes it', async () => {
    const { engine, dataDir } = sandbox;
    const a = await engine.call('keys.create', { name: 'phone', scope: 'run' });
    const b = await engine.call('keys.create', { name: 'laptop', scope: 'run' });
    expect((await engine.access.verifyKey(a.secret, '10.0.0.2')).ok).toBe(true);
    expect((await engine.access.verifyKey(b.secret, '10.0.0.3')).ok).toBe(true);

    await engine.call('keys.revoke', { key: 'phone' });
    expect(await engine.access.verifyKey(a.secret, '10.0.0.2')).toMatchObject({ ok: false, reason: expect.stringMatching(/^API key "phone" was revoked at /) });

    // The CLI in another terminal is another engine on the same data folder.
    const other = await startEngine(dataDir);
    try {
      const revoked = await other.call('keys.revoke', { key: b.key.prefix });
      expect(revoked).toMatchObject({ name: 'laptop', status: 'revoked' });
    } finally {
      await other.close();
    }
    expect(await engine.access.verifyKey(b.secret, '10.0.0.3')).toMatchObject({ ok: false, reason: expect.stringContaining('revoked') });

    await expect(engine.call('keys.revoke', { key: 'phone' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(engine.call('keys.revoke', { key: a.key.prefix })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already revoked') });
    // A revoked key's name is free again; its prefix never is.
    const again = await engine.call('keys.create', { name: 'phone', scope: 'read' });
    expect(again.key.prefix).not.toBe(a.key.prefix);
  });

  it('refuses a second active key of one name, and a bad name or lifetime with the field named', async () => {
    const { engine } = sandbox;
    await engine.call('keys.create', { name: 'ci', scope: 'read' });
    await expect(engine.call('keys.create', { name: 'ci', scope: 'admin' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already named "ci"') });
    await expect(engine.call('keys.create', { name: '../x', scope: 'read' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('params.name') });
    await expect(engine.call('keys.create', { name: 'x', scope: 'root' as 'admin' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('params.scope') });
    await expect(engine.call('keys.create', { name: 'x', scope: 'read', expiresInMs: 5 })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('at least a minute') });
    expect(await engine.call('keys.list', undefined)).toHaveLength(1);
  });

  it('holds a key to its scope: read < run < admin, each refusal audited', async () => {
    const { engine } = sandbox;
    const reader = await engine.access.verifyKey((await engine.call('keys.create', { name: 'r', scope: 'read' })).secret, '192.0.2.7');
    const runner = await engine.access.verifyKey((await engine.call('keys.create', { name: 'w', scope: 'run' })).secret, '192.0.2.7');
    const admin = await engine.access.verifyKey((await engine.call('keys.create', { name: 'a', scope: 'admin' })).secret, '192.0.2.7');
    if (!reader.ok || !runner.ok || !admin.ok) throw new Error('keys did not verify');

    const call = (key: KeyPrincipal, method: string, params?: unknown) => engine.dispatch({ id: 1, method, params }, asKey(key));
    expect(await call(reader.key, 'runs.list')).toMatchObject({ ok: true });
    expect(await call(reader.key, 'runs.cancelAll')).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'runs.cancelAll needs an API key with scope run; key "r" has scope read' },
    });
    expect(await call(runner.key, 'runs.cancelAll')).toMatchObject({ ok: true, value: { cancelled: 0 } });
    expect(await call(runner.key, 'secrets.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(runner.key, 'keys.create', { name: 'more', scope: 'admin' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(admin.key, 'keys.list')).toMatchObject({ ok: true });
    // Refused before the params are read: a key too small learns nothing about a method's fields.
    expect(await call(reader.key, 'agents.save', { wrong: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The app itself (no key in the context) is not limited.
    expect(await engine.dispatch({ id: 2, method: 'keys.list' }, { clientId: 'window' })).toMatchObject({ ok: true });

    const refused = await engine.call('audit.list', { kinds: ['scope.refused'] });
    expect(refused.map((e) => [e.keyName, e.target, e.detail])).toEqual([
      ['r', 'agents.save', 'needs scope admin'],
      ['w', 'keys.create', 'needs scope admin'],
      ['w', 'secrets.list', 'needs scope admin'],
      ['r', 'runs.cancelAll', 'needs scope run'],
    ]);
    const used = await engine.call('audit.list', { kinds: ['key.used'] });
    expect(used.map((e) => [e.keyName, e.detail])).toEqual(
      expect.arrayContaining([
        ['r', 'used with scope read'],
        ['w', 'used with scope run'],
        ['a', 'used with scope admin'],
      ]),
    );
  });
});
