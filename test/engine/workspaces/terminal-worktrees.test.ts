/**
 * A terminal opened in a new worktree (terminals.create's worktree option), with real git and a
 * real pty: it starts at the same place inside a worktree of its own, on photon/term-<id>, with
 * PHOTON_WORKTREE, PHOTON_BRANCH and PHOTON_PORT_BASE; the worktree outlives the terminal, is
 * listed by workspaces.usage, and prune removes it only once the terminal has closed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox, waitUntil } from '../helpers.js';
import { git, makeRepo } from './git-repo.js';

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a terminal in a new worktree', () => {
  const sandbox = useSandbox('ws-terminal');

  it('starts in a worktree and branch of its own, which stays after it closes until prune', { timeout: 120_000 }, async () => {
    const repo = makeRepo(join(sandbox.work, 'repo'), { 'src/app.txt': 'app\n' });
    const evidence = join(sandbox.work, 'evidence.txt');
    const command = `printf '%s\\n' "$PWD" "$(git branch --show-current)" "$PHOTON_WORKTREE" "$PHOTON_BRANCH" "$PHOTON_PORT_BASE" > ${evidence}; sleep 300`;
    const terminal = await sandbox.engine.call('terminals.create', { cwd: join(repo, 'src'), command, worktree: {} });
    await waitUntil(() => existsSync(evidence) && readFileSync(evidence, 'utf8').split('\n').length === 6, 'the terminal to say where it runs', 30_000);
    const [cwd, current, worktree, branch, portBase] = readFileSync(evidence, 'utf8').trim().split('\n');
    expect(branch).toMatch(/^photon\/term-[0-9a-f]{8}$/);
    expect(current).toBe(branch);
    expect(worktree!.startsWith(join(sandbox.dataDir, 'worktrees', '.terminals'))).toBe(true);
    expect(cwd).toBe(join(worktree!, 'src'));
    expect(Number(portBase)).toBeGreaterThanOrEqual(20_000);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)).toEqual([`worktree ${repo}`, `worktree ${worktree}`]);
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');

    // Open: listed as open, and prune leaves it.
    expect((await sandbox.engine.call('workspaces.usage', undefined)).terminals).toMatchObject([{ branch, path: worktree, repo, open: true }]);
    await sandbox.engine.call('workspaces.prune', undefined);
    expect(existsSync(join(worktree!, 'src', 'app.txt'))).toBe(true);

    // Closed: the worktree stays, listed as closed, until prune removes it and its branch.
    await sandbox.engine.call('terminals.kill', { id: terminal.id });
    await eventually(async () => (await sandbox.engine.call('workspaces.usage', undefined)).terminals[0]?.open === false, 'the terminal to close');
    expect(existsSync(join(worktree!, 'src', 'app.txt'))).toBe(true);
    const pruned = await sandbox.engine.call('workspaces.prune', undefined);
    expect(pruned.worktrees).toContain(worktree);
    expect(pruned.branches).toContain(branch);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)).toEqual([`worktree ${repo}`]);
    expect(git(repo, 'branch', '--list', 'photon/*')).toBe('');
    expect((await sandbox.engine.call('workspaces.usage', undefined)).terminals).toEqual([]);
  });

  it('refuses a folder outside a repository, naming the field, and makes nothing', async () => {
    await expect(sandbox.engine.call('terminals.create', { cwd: sandbox.work, worktree: {} })).rejects.toThrow(/^terminals\.create worktree\.repo: ".*" is not inside a git repository/);
    expect(existsSync(join(sandbox.dataDir, 'worktrees', '.terminals'))).toBe(false);
  });
});
