/**
 * `photon hosts` and `photon tools --host` as a user runs them, against a real sshd: add a host,
 * see its key refused in `list`, read the key with `trust`, accept it by fingerprint, see it
 * connected, find the tools installed there, remove it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type TestSshd } from '../../engine/hosts/sshd.js';
import { photon, tempFolder } from './helpers.js';

describe.skipIf(!sshdAvailable)('photon hosts', () => {
  let folder: ReturnType<typeof tempFolder>;
  let sshd: TestSshd;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    folder = tempFolder();
    const bin = join(folder.dir, 'remote-bin');
    mkdirSync(bin);
    // A Claude Code on the host only: it answers --version as the real one does.
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "2.1.30 (Claude Code)"\n');
    chmodSync(join(bin, 'claude'), 0o755);
    sshd = await startSshd(join(folder.dir, 'sshd'), { path: `${bin}:/usr/local/bin:/usr/bin:/bin` });
    env = { PHOTON_DATA_DIR: folder.dataDir, PHOTON_SSH_CONFIG: sshd.clientConfig };
  });
  afterEach(async () => {
    await sshd.stop();
    folder.cleanup();
  });

  it('adds a host, refuses its unknown key, accepts it by fingerprint, lists it connected, finds its tools and removes it', async () => {
    const added = await photon(['hosts', 'add', 'box', sshd.url, '--repo-path', '~/src/app'], { env });
    expect(added.stdout, added.stderr).toContain(`Added box (${sshd.url}, clone at ~/src/app)`);
    expect(added.code).toBe(0);

    const unknown = await photon(['hosts', 'list'], { env });
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(unknown.stdout, unknown.stderr).toMatch(/box\s+ssh:\/\/\S+\s+~\/src\/app\s+unknown key\s+-/);
    expect(unknown.stdout, unknown.stderr).toContain(`It presents ED25519 ${sshd.hostKeyFingerprint}; if that is your server's key, accept it with: photon hosts trust box --fingerprint ${sshd.hostKeyFingerprint}`);

    const shown = await photon(['hosts', 'trust', 'box'], { env });
    expect(shown.stdout, shown.stderr).toContain(`box presents this ED25519 key:\n  ${sshd.hostKeyFingerprint}\n`);
    const trusted = await photon(['hosts', 'trust', 'box', '--fingerprint', sshd.hostKeyFingerprint], { env });
    expect(trusted.stdout, trusted.stderr).toBe(`Trusted box's ED25519 key ${sshd.hostKeyFingerprint}.\n`);

    const connected = await photon(['hosts', 'list'], { env });
    expect(connected.stdout, connected.stderr).toMatch(/box\s+ssh:\/\/\S+\s+~\/src\/app\s+connected\s+\d+ ms/);
    expect(connected.code, connected.stderr).toBe(0);

    const moved = await photon(['hosts', 'set', 'box', '--repo-path', '/srv/app/'], { env });
    expect(moved.stdout, moved.stderr).toBe('Steps with workspaces on box get their worktrees in its clone at /srv/app.\n');
    const relative = await photon(['hosts', 'set', 'box', '--repo-path', 'src/app'], { env });
    expect(relative.code).not.toBe(0);
    expect(relative.stderr).toContain('host "box": repository path "src/app" on the host must be absolute (/srv/repo) or under the home there (~/repo)');
    const cleared = await photon(['hosts', 'set', 'box', '--repo-path', ''], { env });
    expect(cleared.stdout, cleared.stderr).toBe('box has no clone of the repository set now.\n');
    expect((await photon(['hosts', 'list', '--no-check'], { env })).stdout).toMatch(/box\s+ssh:\/\/\S+\s+-\s+connected/);

    const tools = await photon(['tools', '--host', 'box', '--json'], { env });
    expect(tools.code, tools.stderr).toBe(0);
    const found = JSON.parse(tools.stdout) as { platform: string; installed: boolean; version: string | null; path: string | null }[];
    expect(found.find((tool) => tool.platform === 'claude-code')).toMatchObject({ installed: true, version: '2.1.30', path: join(folder.dir, 'remote-bin', 'claude') });
    expect(found.find((tool) => tool.platform === 'codex')).toMatchObject({ installed: false, path: null });

    const removed = await photon(['hosts', 'remove', 'box'], { env });
    expect(removed.stdout, removed.stderr).toBe('Removed box.\n');
    expect((await photon(['hosts', 'list', '--no-check'], { env })).stdout).toContain('No hosts yet');
    // Twelve commands, each a new process that starts the engine: a loaded machine needs more than the default.
  }, 180_000);

  it('says what is wrong with a bad address or an unknown host, naming the fix', async () => {
    const bad = await photon(['hosts', 'add', 'box', 'http://example.com'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('"http://example.com" is not an ssh address; write ssh://user@host or ssh://user@host:port');
    const missing = await photon(['tools', '--host', 'nowhere'], { env });
    expect(missing.stderr).toContain('no host named "nowhere"; add it with: photon hosts add nowhere ssh://user@host');
  }, 60_000);
});
