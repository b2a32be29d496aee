/** `photon keys` and `photon audit` as a user runs them, against a data folder of their own. */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine/index.js';
import type { ApiKeyInfo, AuditEntry } from '../../../shared/access.js';
import { photon, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());
const dataDir = ['--data-dir', temp.dataDir];

describe('photon keys and photon audit', () => {
  it('makes a key shown once, lists it, revokes it by prefix, and the log tells the story', async () => {
    const made = await photon(['keys', 'create', 'ci', '--scope', 'run', '--expires', '30d', ...dataDir]);
    expect(made.code).toBe(0);
    // The key alone on stdout, so it can be redirected into a file.
    expect(made.stdout).toMatch(/^photon_[0-9a-f]{8}_[A-Za-z0-9_-]{43}\n$/);
    const secret = made.stdout.trim();
    const prefix = secret.slice(7, 15);
    expect(made.stderr).toContain(`Made key "ci" (${prefix}) with scope run, valid until `);
    expect(made.stderr).toContain('Copy it now: Photon keeps only a hash and cannot show it again.');

    const listed = await photon(['keys', 'list', ...dataDir]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PREFIX +SCOPE +STATUS +CREATED +EXPIRES +LAST USED +NAME$/);
    expect(lines[1]).toMatch(new RegExp(`^${prefix} +run +active +\\S+ \\S+ +\\S+ \\S+ +never +ci$`));
    expect(listed.stdout).not.toContain(secret.slice(16));
    const asJson = JSON.parse((await photon(['keys', 'list', '--json', ...dataDir])).stdout) as ApiKeyInfo[];
    expect(asJson).toEqual([expect.objectContaining({ name: 'ci', prefix, scope: 'run', status: 'active' })]);

    // A key that works until the CLI revokes it.
    const engine = await createEngine({ dataDir: temp.dataDir, host: 'server' });
    try {
      expect((await engine.access.verifyKey(secret, '198.51.100.4')).ok).toBe(true);
      const revoked = await photon(['keys', 'revoke', prefix, ...dataDir]);
      expect(revoked).toMatchObject({ code: 0, stdout: `Revoked key "ci" (${prefix}); it no longer opens anything.\n` });
      expect(await engine.access.verifyKey(secret, '198.51.100.4')).toMatchObject({ ok: false, reason: expect.stringContaining('revoked') });
    } finally {
      await engine.close();
    }

    const again = await photon(['keys', 'revoke', 'ci', ...dataDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('photon keys: no key is named or prefixed "ci"; `photon keys list` shows names and prefixes\n');

    const log = await photon(['audit', '--json', ...dataDir]);
    expect(log.code).toBe(0);
    const entries = log.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEntry);
    // Oldest first, as a log reads.
    expect(entries.map((e) => [e.kind, e.keyName, e.keyPrefix, e.address])).toEqual([
      ['key.created', 'ci', prefix, 'local'],
      ['key.revoked', 'ci', prefix, 'local'],
    ]);
    const table = await photon(['audit', ...dataDir]);
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME +EVENT +FROM +KEY +TARGET +DETAIL$/);
    expect(table.stdout).toMatch(new RegExp(`key\\.revoked +local +ci \\(${prefix}\\) +- +key "ci" revoked`));
    const later = await photon(['audit', '--since', '2999-01-01', ...dataDir]);
    expect(later.stdout).toMatch(/^Nothing in the audit log since /);
    // Eight photon processes one after another: generous on a loaded machine.
  }, 180_000);

  it('refuses a missing or wrong scope, a bad lifetime and a bad --since with the fix, making nothing', async () => {
    const cases: [string[], string][] = [
      [['keys', 'create', 'x'], 'photon keys: missing --scope: photon keys create x --scope read|run|admin\n'],
      [['keys', 'create', 'x', '--scope', 'root'], 'photon keys: --scope must be read, run or admin, not "root"\n'],
      [['keys', 'create', 'x', '--scope', 'read', '--expires', 'soon'], 'photon keys: --expires takes a number and m, h or d (90m, 12h, 30d), not "soon"\n'],
      [['keys', 'list', '--scope', 'read'], 'photon keys: --scope and --expires go with `photon keys create`, not list\n'],
      [['audit', '--since', 'yesterday'], 'photon audit: --since takes a duration (90m, 24h, 7d) or an ISO date (2026-03-01T12:00:00Z), not "yesterday"\n'],
    ];
    for (const [args, message] of cases) {
      const result = await photon([...args, ...dataDir]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: message });
    }
    const named = await photon(['keys', 'create', 'bad/name', '--scope', 'read', ...dataDir]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('params.name: use letters, digits, space, dot, dash or underscore');
    const keys = JSON.parse((await photon(['keys', 'list', '--json', ...dataDir])).stdout) as ApiKeyInfo[];
    expect(keys.filter((k) => k.status === 'active')).toEqual([]);
  }, 180_000);
});
