/**
 * Discard, cleanup, prune and usage with real git: only Photon's worktrees (under its worktrees
 * folder) and the photon/ branches it recorded go; a user's own branch named like Photon's, a
 * user's own worktree, and a Photon branch someone built on or checked out all stay.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, waitUntil } from '../helpers.js';
import { git, photonBranches } from './git-repo.js';
import { isolatedRun, sandboxRepo, twoStepRun } from './ws-run.js';

describe('discard and prune', () => {
  const sandbox = useSandbox('ws-cleanup');

  it("discard removes the run's worktrees and branches, and prune everything Photon recorded — and nothing of the user's", async () => {
    const repo = sandboxRepo(sandbox);
    const first = await twoStepRun(sandbox);
    const second = await twoStepRun(sandbox);
    // The user's own things, named like Photon's: a branch under photon/ (even one named like a step of the second run) and a worktree of their own.
    git(repo, 'branch', 'photon/my-experiment');
    git(repo, 'branch', `photon/${second.runId}-step-9`);
    const userWorktree = join(sandbox.work, 'feature-tree');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'feature', userWorktree);
    writeFileSync(join(userWorktree, 'wip.txt'), 'work in progress\n');

    const discarded = await sandbox.engine.call('workspaces.discard', { runId: first.runId });
    expect(discarded.kept).toEqual([]);
    expect(discarded.worktrees.sort()).toEqual([1, 2, 3].map((s) => stepOf(first, s).workspace!.path).sort());
    expect(existsSync(join(sandbox.dataDir, 'worktrees', first.runId))).toBe(false);
    expect(photonBranches(repo).filter((b) => b.includes(first.runId))).toEqual([]);
    expect(photonBranches(repo)).toContain(`photon/${second.runId}`);
    // The run page shows the worktrees as removed.
    const after = await sandbox.engine.call('runs.get', { runId: first.runId });
    expect(after.steps.map((s) => s.workspace!.state)).toEqual(['removed', 'removed', 'removed']);

    // Photon's worktrees made ahead of time are in the user's list too, until prune.
    await waitUntil(() => git(repo, 'worktree', 'list').includes('/worktrees/.pool/'), 'a worktree made ahead of time', 60_000);
    const pruned = await sandbox.engine.call('workspaces.prune', undefined);
    expect(pruned.branches.sort()).toEqual([`photon/${second.runId}`, ...[1, 2, 3].map((s) => `photon/${second.runId}-step-${s}`)].sort());
    expect(photonBranches(repo)).toEqual(['photon/my-experiment', `photon/${second.runId}-step-9`].sort());
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)).toEqual([`worktree ${repo}`, `worktree ${userWorktree}`]);
    expect(pruned.worktrees.some((w) => w.startsWith(join(sandbox.dataDir, 'worktrees', '.pool')))).toBe(true);
    expect(git(userWorktree, 'status', '--porcelain')).toBe('?? wip.txt');
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect((await sandbox.engine.call('workspaces.usage', undefined)).runs).toEqual([]);
  });

  it("keeps a Photon branch that the user checked out or built on, saying why", async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    // Once Photon's worktrees are cleaned up, the user checks out step 1's branch in a worktree of their own, and commits on the result branch.
    await sandbox.engine.call('workspaces.cleanup', { runIds: [detail.runId] });
    const theirs = join(sandbox.work, 'looking');
    git(repo, 'worktree', 'add', '--quiet', theirs, `photon/${detail.runId}-step-1`);
    git(repo, 'checkout', '--quiet', `photon/${detail.runId}`);
    writeFileSync(join(repo, 'follow-up.txt'), 'more\n');
    git(repo, 'add', 'follow-up.txt');
    git(repo, 'commit', '--quiet', '-m', 'my follow-up');
    const followUp = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '--quiet', 'main');

    expect((await sandbox.engine.call('runs.get', { runId: detail.runId })).workspace!.outcome).toBeNull();
    const removed = await sandbox.engine.call('workspaces.discard', { runId: detail.runId });
    expect((await sandbox.engine.call('runs.get', { runId: detail.runId })).workspace!.outcome).toEqual({ kind: 'discarded', at: expect.stringMatching(/^\d{4}-/) });
    expect(removed.kept).toEqual([
      { branch: `photon/${detail.runId}-step-1`, reason: expect.stringMatching(/checked out in .*looking; check out another branch there/) },
      { branch: `photon/${detail.runId}`, reason: expect.stringMatching(/moved to [0-9a-f]{12}, a commit Photon did not make; .*git branch -D/) },
    ]);
    expect(git(repo, 'rev-parse', `photon/${detail.runId}`)).toBe(followUp);
    expect(existsSync(join(theirs, 'notes.txt'))).toBe(true);
    expect(photonBranches(repo)).toEqual([`photon/${detail.runId}`, `photon/${detail.runId}-step-1`]);
  });

  it("usage counts each run's worktrees on disk; cleanup frees them but keeps the branches, so the result can still be reviewed", async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await isolatedRun(sandbox, [shellStep(1, 'head -c 300000 /dev/urandom > big.bin')]);
    expect(detail.status).toBe('succeeded');
    const usage = await sandbox.engine.call('workspaces.usage', undefined);
    expect(usage.folder).toBe(join(sandbox.dataDir, 'worktrees'));
    expect(usage.runs).toEqual([expect.objectContaining({ runId: detail.runId, status: 'succeeded', worktrees: 1, branch: `photon/${detail.runId}`, finished: true, repo })]);
    expect(usage.runs[0]!.bytes).toBeGreaterThan(300_000);
    expect(usage.totalBytes).toBe(usage.runs[0]!.bytes + usage.poolBytes);

    const cleaned = await sandbox.engine.call('workspaces.cleanup', undefined);
    expect(cleaned.worktrees).toEqual([stepOf(detail, 1).workspace!.path]);
    expect(cleaned.branches).toEqual([]);
    expect(existsSync(stepOf(detail, 1).workspace!.path)).toBe(false);
    const freed = await sandbox.engine.call('workspaces.usage', undefined);
    expect(freed).toMatchObject({ runs: [{ runId: detail.runId, worktrees: 0, bytes: 0 }] });
    expect(freed.totalBytes).toBe(freed.poolBytes);
    const diff = await sandbox.engine.call('workspaces.diff', { runId: detail.runId, stat: true });
    expect(diff.files).toEqual([{ path: 'big.bin', status: 'added', linesAdded: 0, linesRemoved: 0, binary: true }]);
  });

  it('refuses to discard a running run, and prune leaves it alone', async () => {
    const repo = sandboxRepo(sandbox);
    const gate = join(sandbox.work, 'gate');
    const workflow = { name: 'slow', workspace: { repo: 'repo' }, workflow: [shellStep(1, `until [ -e ${gate} ]; do sleep 0.05; done`)] };
    const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
    const worktree = join(sandbox.dataDir, 'worktrees', runId, 'step-1');
    await expect.poll(() => existsSync(join(worktree, 'notes.txt')), { timeout: 60_000 }).toBe(true);

    await expect(sandbox.engine.call('workspaces.discard', { runId })).rejects.toThrow(/is still running; wait for it to end .*then discard it/);
    await sandbox.engine.call('workspaces.prune', undefined);
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(true);
    expect(photonBranches(repo)).toEqual([`photon/${runId}-step-1`]);

    // A folder no run recorded (an engine stopped between making it and recording it) is pruned.
    const orphan = join(sandbox.dataDir, 'worktrees', 'run-that-never-was', 'step-1');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'file'), 'x');
    mkdirSync(gate);
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const pruned = await sandbox.engine.call('workspaces.prune', undefined);
    expect(pruned.worktrees).toContain(join(sandbox.dataDir, 'worktrees', 'run-that-never-was'));
    expect(existsSync(join(sandbox.dataDir, 'worktrees', 'run-that-never-was'))).toBe(false);
    expect(photonBranches(repo)).toEqual([]);
  });
});
