/**
 * Worktrees made ahead of time (pool.ts): after a run, a repository keeps two ready worktrees on
 * no branch; the next step takes one (a rename and a checkout of what differs), and gets exactly
 * its starting point even though the pooled worktree was made at an older commit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, stepOf, useSandbox, waitUntil, type Sandbox } from '../helpers.js';
import { Git } from '../../../electron/engine/workspaces/git.js';
import { WorktreePool } from '../../../electron/engine/workspaces/pool.js';
import { git, makeRepo } from './git-repo.js';

async function run(sandbox: Sandbox, command: string): Promise<RunDetail> {
  const workflow = { name: 'pool', workspace: { repo: 'repo' }, workflow: [shellStep(1, command)] };
  const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

/** The pool's worktrees once each is whole: registered with git and checked out clean. */
function readyPool(dataDir: string): string[] {
  const pool = join(dataDir, 'worktrees', '.pool');
  if (!existsSync(pool)) return [];
  const entries = readdirSync(pool).flatMap((repoKey) => readdirSync(join(pool, repoKey)).map((name) => join(pool, repoKey, name)));
  return entries.filter((path) => {
    try {
      return existsSync(join(path, '.git')) && execFileSync('git', ['status', '--porcelain'], { cwd: path, encoding: 'utf8' }) === '';
    } catch {
      return false;
    }
  });
}

/**
 * A repository of 3000 files, so that checking out a worktree of it takes long enough to close or
 * prune in the middle of it. It is made once for the file and cloned for each test: making it
 * (3000 objects written one by one) took several times as long as a clone, which links them.
 */
let bigTemplate: string | undefined;
afterAll(() => {
  if (bigTemplate) removeDir(dirname(bigTemplate));
});

function bigRepo(folder: string): string {
  bigTemplate ??= makeRepo(join(makeTempDir('ws-pool-template'), 'repo'), Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`src/f${i}.txt`, `file ${i}\n`])));
  mkdirSync(dirname(folder), { recursive: true });
  git(dirname(folder), 'clone', '--quiet', bigTemplate, folder);
  // As makeRepo leaves it: no remote, an identity of its own.
  git(folder, 'remote', 'remove', 'origin');
  git(folder, 'config', 'user.name', 'Test User');
  git(folder, 'config', 'user.email', 'user@example.com');
  return folder;
}

describe('worktrees made ahead of time', () => {
  const sandbox = useSandbox('ws-pool');

  it('are taken by the next step, which gets exactly its own starting point', { timeout: 120_000 }, async () => {
    const repo = makeRepo(join(sandbox.work, 'repo'), { 'old.txt': 'old\n', 'kept.txt': 'kept\n' });
    const first = await run(sandbox, 'true');
    expect(first.status).toBe('succeeded');
    await waitUntil(() => readyPool(sandbox.dataDir).length === 2, 'two worktrees made ahead of time', 60_000);
    const pooled = readyPool(sandbox.dataDir);
    // Ready worktrees hold no branch of anyone's.
    for (const path of pooled) expect(git(path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('HEAD');

    // The base moves on: a pooled worktree (made at the old commit) must not show it.
    rmSync(join(repo, 'old.txt'));
    writeFileSync(join(repo, 'new.txt'), 'new\n');
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '-m', 'moved on');
    const second = await run(sandbox, 'ls; git status --porcelain; echo made > made.txt');
    const step = stepOf(second, 1);
    expect(step.status).toBe('succeeded');
    expect(step.output!.split(/\s+/)).toEqual(['kept.txt', 'new.txt']);
    // It is one of the pooled worktrees, moved: git still knows it by its pooled name.
    const admin = readFileSync(join(step.workspace!.path, '.git'), 'utf8');
    expect(pooled.map((path) => basename(path))).toContain(basename(admin.trim()));
    expect(step.workspace).toMatchObject({ state: 'committed', baseCommit: git(repo, 'rev-parse', 'main'), branch: `photon/${second.runId}-step-1` });
    expect(git(step.workspace!.path, 'symbolic-ref', '--short', 'HEAD')).toBe(`photon/${second.runId}-step-1`);
    expect(git(repo, 'show', `photon/${second.runId}:made.txt`)).toBe('made');
    await waitUntil(() => readyPool(sandbox.dataDir).length === 2, 'the pool refilled', 60_000);
  });
});

describe('an engine closing while worktrees are made ahead of time', () => {
  it('stops making them and leaves none half-made: each pooled worktree git knows is whole', { timeout: 120_000 }, async () => {
    const root = makeTempDir('ws-pool-close');
    try {
      const work = join(root, 'work');
      const repo = bigRepo(join(work, 'repo'));
      const engine = await startEngine(join(root, 'data'));
      const { runId } = await engine.call('runs.start', { workflow: { name: 'pool', workspace: { repo: 'repo' }, workflow: [shellStep(1, 'true')] }, baseDir: work });
      await engine.waitForRun(runId);
      // At once: the pool has just started filling.
      await engine.close();
      const pooled = git(repo, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((line) => line.startsWith('worktree ') && line.includes('/.pool/'))
        .map((line) => line.slice('worktree '.length));
      for (const path of pooled) expect(git(path, 'status', '--porcelain')).toBe('');
      const poolRoot = join(root, 'data', 'worktrees', '.pool');
      const folders = existsSync(poolRoot) ? readdirSync(poolRoot).flatMap((key) => readdirSync(join(poolRoot, key)).map((name) => join(poolRoot, key, name))) : [];
      expect(folders.sort()).toEqual(pooled.sort());
      expect(readyPool(join(root, 'data')).sort()).toEqual(pooled.sort());
    } finally {
      removeDir(root);
    }
  });
});

describe('prune while worktrees are made ahead of time', () => {
  it("waits for the ones being made and removes them all from the user's repository", { timeout: 120_000 }, async () => {
    const root = makeTempDir('ws-pool-drain');
    try {
      const repo = bigRepo(join(root, 'repo'));
      const pool = new WorktreePool(new Git({ ...process.env } as Record<string, string>), join(root, 'data', 'worktrees', '.pool'));
      pool.fill(repo, git(repo, 'rev-parse', 'HEAD'));
      // At once: the first worktree is being checked out.
      const removed = await pool.drain();
      // A fill that went on behind the prune would show here.
      await pool.settled();
      expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)).toEqual([`worktree ${repo}`]);
      expect(removed.length).toBeGreaterThan(0);
      expect(removed.every((path) => !existsSync(path))).toBe(true);
      // The next run fills it again.
      pool.fill(repo, git(repo, 'rev-parse', 'HEAD'));
      await pool.settled();
      expect(readyPool(join(root, 'data'))).toHaveLength(2);
      await pool.close();
    } finally {
      removeDir(root);
    }
  });
});
