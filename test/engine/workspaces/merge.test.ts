/**
 * Merging a run's result with real git: into a branch nobody has checked out (no working tree is
 * touched), into the checked-out branch (its other uncommitted changes kept), and refusals that
 * change nothing: uncommitted changes in the way, a missing branch, a branch that moved, a
 * conflict, a locked index.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers.js';
import { git, parentsOf, photonBranches } from './git-repo.js';
import { sandboxRepo, twoStepRun } from './ws-run.js';

describe('workspaces.merge', () => {
  const sandbox = useSandbox('ws-merge');

  it('fast-forwards a branch that is not checked out without touching the working tree, then removes the run’s worktrees and branches', async () => {
    const repo = sandboxRepo(sandbox);
    git(repo, 'branch', 'release');
    const detail = await twoStepRun(sandbox);
    // The user works on main meanwhile: an edit to a file the run changed, and a new file.
    writeFileSync(join(repo, 'notes.txt'), 'my own edit\n');
    writeFileSync(join(repo, 'mine.txt'), 'mine\n');
    const statusBefore = git(repo, 'status', '--porcelain');
    const mainBefore = git(repo, 'rev-parse', 'main');

    const dry = await sandbox.engine.call('workspaces.merge', { runId: detail.runId, into: 'release', strategy: 'ff', dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, into: 'release', after: detail.workspace!.resultCommit, workingTree: null });
    expect(dry.summary).toMatch(/fast-forward release .*release is not checked out anywhere, so no working tree changes/);
    expect(git(repo, 'rev-parse', 'release')).toBe(mainBefore);

    const merged = await sandbox.engine.call('workspaces.merge', { runId: detail.runId, into: 'release', strategy: 'ff' });
    expect(merged).toMatchObject({ into: 'release', before: mainBefore, after: detail.workspace!.resultCommit, workingTree: null, dryRun: false });
    expect(git(repo, 'rev-parse', 'release')).toBe(detail.workspace!.resultCommit);
    // main, its files and its uncommitted changes are exactly as they were.
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('my own edit\n');
    // Photon's worktrees and branches for the run are gone.
    expect(photonBranches(repo)).toEqual([]);
    expect(existsSync(join(sandbox.dataDir, 'worktrees', detail.runId))).toBe(false);
    expect(merged.removed.branches.sort()).toEqual([`photon/${detail.runId}`, ...[1, 2, 3].map((s) => `photon/${detail.runId}-step-${s}`)].sort());
    // Only the repository's own working tree is left (besides the worktrees the engine makes ahead of time, on no branch).
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)!.filter((w) => !w.includes('/worktrees/.pool/'))).toEqual([`worktree ${repo}`]);
    // Merged once: the result branch is gone, so a second merge says so.
    await expect(sandbox.engine.call('workspaces.merge', { runId: detail.runId, strategy: 'ff' })).rejects.toThrow(/result branch photon\/.* no longer exists .*merged, discarded or pruned/);
    // The run remembers where its result went, and a discard of what is left does not unsay it.
    const outcome = { kind: 'merged', into: 'release', strategy: 'ff', commit: detail.workspace!.resultCommit, at: expect.stringMatching(/^\d{4}-/) };
    expect((await sandbox.engine.call('runs.get', { runId: detail.runId })).workspace!.outcome).toEqual(outcome);
    await sandbox.engine.call('workspaces.discard', { runId: detail.runId });
    expect((await sandbox.engine.call('runs.get', { runId: detail.runId })).workspace!.outcome).toEqual(outcome);
  });

  it('squashes into the checked-out branch, keeping the user’s uncommitted changes to other files', async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    writeFileSync(join(repo, 'keep.txt'), 'keep, edited by the user\n');
    writeFileSync(join(repo, 'scratch.txt'), 'untracked\n');
    git(repo, 'add', 'scratch.txt');
    const before = git(repo, 'rev-parse', 'HEAD');

    const merged = await sandbox.engine.call('workspaces.merge', { runId: detail.runId, strategy: 'squash' });
    expect(merged).toMatchObject({ into: 'main', before, workingTree: repo });
    expect(parentsOf(repo, 'main')).toEqual([before]);
    expect(git(repo, 'rev-parse', 'main^{tree}')).toBe(git(repo, 'rev-parse', `${detail.workspace!.resultCommit}^{tree}`));
    expect(git(repo, 'log', '-1', '--format=%B', 'main')).toContain(`Photon-Run: ${detail.runId}`);
    // The run's changes are in the working tree; the user's are still there, the staged one still staged.
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toMatch(/^line 1 by A\n/);
    expect(existsSync(join(repo, 'old.txt'))).toBe(false);
    expect(readFileSync(join(repo, 'keep.txt'), 'utf8')).toBe('keep, edited by the user\n');
    expect(git(repo, 'diff', '--name-only')).toBe('keep.txt');
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('scratch.txt');
  });

  it('refuses, changing nothing, a merge into the checked-out branch that would touch its uncommitted changes', async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    writeFileSync(join(repo, 'notes.txt'), 'the user is editing this\n');
    writeFileSync(join(repo, 'new.txt'), 'the user made this file too\n');
    const before = git(repo, 'rev-parse', 'HEAD');

    for (const strategy of ['ff', 'squash', 'merge-commit'] as const) {
      await expect(sandbox.engine.call('workspaces.merge', { runId: detail.runId, strategy })).rejects.toThrow(
        /main is checked out in .*repo, and the merge would change files that have uncommitted changes there: new\.txt, notes\.txt\. Nothing was changed; commit or stash those changes/,
      );
    }
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('the user is editing this\n');
    expect(readFileSync(join(repo, 'new.txt'), 'utf8')).toBe('the user made this file too\n');
    // Nothing was cleaned up either: the result can still be merged once the user is ready.
    expect(photonBranches(repo)).toContain(`photon/${detail.runId}`);
    expect(existsSync(join(sandbox.dataDir, 'worktrees', detail.runId, 'step-1'))).toBe(true);
  });

  it('names the fix for a missing branch, a branch that moved (then merges with a merge commit), a conflict and a locked index', async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    const runId = detail.runId;
    await expect(sandbox.engine.call('workspaces.merge', { runId, into: 'nope', strategy: 'ff' })).rejects.toThrow(/branch nope does not exist in .*; create it first \(`git -C .* branch nope main`\)/);
    await expect(sandbox.engine.call('workspaces.merge', { runId, into: `photon/${runId}`, strategy: 'ff' })).rejects.toThrow(/one of Photon's own branches/);
    await expect(sandbox.engine.call('workspaces.merge', { runId, into: 'bad..name', strategy: 'ff' })).rejects.toThrow(/"bad\.\.name" is not a valid branch name/);

    // main moves on after the run started, in a file the run did not touch.
    writeFileSync(join(repo, 'keep.txt'), 'keep, committed later\n');
    git(repo, 'commit', '--quiet', '-am', 'later');
    const moved = git(repo, 'rev-parse', 'HEAD');
    await expect(sandbox.engine.call('workspaces.merge', { runId, strategy: 'ff' })).rejects.toThrow(/cannot fast-forward main: .*\(`--merge-commit` or `--squash`\)/);

    // A locked index: git's own lock file is named, and nothing moves.
    writeFileSync(join(repo, '.git', 'index.lock'), '');
    await expect(sandbox.engine.call('workspaces.merge', { runId, strategy: 'merge-commit' })).rejects.toThrow(/index\.lock exists\); wait for it to finish, or delete that file/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(moved);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    rmSync(join(repo, '.git', 'index.lock'));

    const merged = await sandbox.engine.call('workspaces.merge', { runId, strategy: 'merge-commit' });
    expect(parentsOf(repo, 'main')).toEqual([moved, detail.workspace!.resultCommit]);
    expect(merged.after).toBe(git(repo, 'rev-parse', 'main'));
    expect(readFileSync(join(repo, 'keep.txt'), 'utf8')).toBe('keep, committed later\n');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toMatch(/^line 1 by A\n/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses a result that conflicts with the branch, naming the files', async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    git(repo, 'checkout', '--quiet', '-b', 'elsewhere');
    writeFileSync(join(repo, 'notes.txt'), 'line 1 by the user\n');
    git(repo, 'commit', '--quiet', '-am', 'conflicting');
    git(repo, 'checkout', '--quiet', 'main');
    const before = git(repo, 'rev-parse', 'elsewhere');
    await expect(sandbox.engine.call('workspaces.merge', { runId: detail.runId, into: 'elsewhere', strategy: 'squash' })).rejects.toThrow(
      new RegExp(`the run's result conflicts with elsewhere in notes\\.txt; nothing was changed\\. Merge it yourself \\(\`git merge photon/${detail.runId}\` in your checkout of elsewhere\\)`),
    );
    expect(git(repo, 'rev-parse', 'elsewhere')).toBe(before);
  });
});
