/**
 * Review with real git: a step's diff against its starting point, the run's against its base, a
 * failed attempt's uncommitted files (read without touching its worktree's index), and clear
 * answers for a run without a result or without a workspace.
 */
import { describe, expect, it } from 'vitest';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, stepOf, useSandbox } from '../helpers.js';
import { git } from './git-repo.js';
import { isolatedRun, sandboxRepo, shellStep, twoStepRun } from './ws-run.js';

describe('workspaces.diff', () => {
  const sandbox = useSandbox('ws-review');

  it("shows the run's result against its base: every file with its +/- lines, and the unified diff", async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    const diff = await sandbox.engine.call('workspaces.diff', { runId: detail.runId });

    expect(diff).toMatchObject({ runId: detail.runId, step: null, from: detail.workspace!.baseCommit, to: detail.workspace!.resultCommit });
    expect(diff.files).toEqual([
      { path: 'new.txt', status: 'added', linesAdded: 2, linesRemoved: 0, binary: false },
      { path: 'notes.txt', status: 'modified', linesAdded: 1, linesRemoved: 1, binary: false },
      { path: 'old.txt', status: 'deleted', linesAdded: 0, linesRemoved: 1, binary: false },
    ]);
    expect(diff.totals).toEqual({ filesChanged: 3, linesAdded: 3, linesRemoved: 2 });
    // The same counts the run page shows from the run's record.
    expect(diff.totals).toEqual(detail.workspace!.changes);
    expect(diff.patch).toContain('--- a/notes.txt\n+++ b/notes.txt\n');
    expect(diff.patch).toContain('-line 1\n+line 1 by A\n');
    expect(diff.patch).toContain('+++ /dev/null');
    // What git itself says between the two commits.
    expect(diff.patch).toBe(`${git(repo, 'diff', '--no-renames', detail.workspace!.baseCommit, detail.workspace!.resultCommit!)}\n`);

    const stat = await sandbox.engine.call('workspaces.diff', { runId: detail.runId.slice(0, 8), stat: true });
    expect(stat.patch).toBe('');
    expect(stat.files).toHaveLength(3);
  });

  it("shows a step's changes against its own starting point only, and a binary file as a file", async () => {
    sandboxRepo(sandbox);
    const detail = await isolatedRun(sandbox, [
      shellStep(1, `printf 'one\\n' >> keep.txt`),
      shellStep(2, `printf '\\000\\001\\002' > data.bin && printf 'two\\n' >> keep.txt`, { dependencies: [1] }),
    ]);
    expect(detail.status).toBe('succeeded');
    const two = await sandbox.engine.call('workspaces.diff', { runId: detail.runId, step: 2 });
    expect(two).toMatchObject({ step: 2, attempt: 1, from: stepOf(detail, 2).workspace!.baseCommit, to: stepOf(detail, 2).workspace!.resultCommit });
    // Step 1's line is in its starting point, not in its change.
    expect(two.files).toEqual([
      { path: 'data.bin', status: 'added', linesAdded: 0, linesRemoved: 0, binary: true },
      { path: 'keep.txt', status: 'modified', linesAdded: 1, linesRemoved: 0, binary: false },
    ]);
    expect(two.patch).toContain(' one\n+two\n');
    expect(two.patch).toContain('Binary files /dev/null and b/data.bin differ');
  });

  it("shows a failed attempt's uncommitted files, new ones too, without staging anything in its worktree", async () => {
    sandboxRepo(sandbox);
    const detail = await isolatedRun(sandbox, [shellStep(1, `printf 'half\\n' >> keep.txt && echo draft > draft.txt && exit 3`)]);
    expect(detail.status).toBe('failed');
    const worktree = stepOf(detail, 1).workspace!.path;
    const statusBefore = git(worktree, 'status', '--porcelain');

    const diff = await sandbox.engine.call('workspaces.diff', { runId: detail.runId, step: 1 });
    expect(diff.to).toBeNull();
    expect(diff.describes).toContain('failed; kept for inspection');
    expect(diff.files.map((f) => [f.path, f.status])).toEqual([
      ['draft.txt', 'added'],
      ['keep.txt', 'modified'],
    ]);
    expect(diff.patch).toContain('+half\n');
    // The worktree is as the attempt left it: draft.txt still untracked, nothing staged.
    expect(git(worktree, 'status', '--porcelain')).toBe(statusBefore);
    expect(statusBefore).toContain('?? draft.txt');

    await expect(sandbox.engine.call('workspaces.diff', { runId: detail.runId })).rejects.toThrow(/has no result to show: .*failed.*`photon diff .* STEP`/);
  });

  it('names the fix for a run without a workspace and a step without a worktree', async () => {
    sandboxRepo(sandbox);
    const plain = { name: 'plain', workflow: [shellStep(1, 'true')] };
    const { runId } = await sandbox.engine.call('runs.start', { workflow: plain, baseDir: sandbox.work });
    await sandbox.engine.waitForRun(runId);
    await expect(sandbox.engine.call('workspaces.diff', { runId })).rejects.toThrow(/has no workspace: it ran without isolation .*--worktree/);

    const detail = await twoStepRun(sandbox);
    await expect(sandbox.engine.call('workspaces.diff', { runId: detail.runId, step: 9 })).rejects.toThrow(/step 9 of run .* has no worktree/);
    await expect(sandbox.engine.call('workspaces.diff', { runId: 'no-such-run' })).rejects.toThrow(/no run "no-such-run"/);
  });

  it('names the fix when the repository is gone or no longer a repository, or git is missing', async () => {
    const repo = sandboxRepo(sandbox);
    const detail = await twoStepRun(sandbox);
    const runId = detail.runId;

    // git missing from the engine's PATH (a second engine on the same history, as the CLI beside the app).
    const noGit = await startEngine(sandbox.dataDir, { env: { ...process.env, PATH: join(sandbox.work, 'empty-bin') }, loginShell: false });
    try {
      await expect(noGit.call('workspaces.diff', { runId })).rejects.toThrow(/^git is not installed or not on PATH; install git \(2\.38 or later\)/);
    } finally {
      await noGit.close();
    }

    renameSync(join(repo, '.git'), join(repo, 'git-away'));
    await expect(sandbox.engine.call('workspaces.merge', { runId, strategy: 'ff' })).rejects.toThrow(/of run .* is no longer a git repository; restore its \.git folder/);
    renameSync(join(repo, 'git-away'), join(repo, '.git'));
    renameSync(repo, `${repo}-moved`);
    await expect(sandbox.engine.call('workspaces.diff', { runId })).rejects.toThrow(/the repository .*repo of run .* is gone \(moved or deleted\); put it back/);
    await expect(sandbox.engine.call('workspaces.merge', { runId, strategy: 'squash' })).rejects.toThrow(/is gone \(moved or deleted\)/);
    renameSync(`${repo}-moved`, repo);
    expect((await sandbox.engine.call('workspaces.diff', { runId, stat: true })).totals.filesChanged).toBe(3);
  });
});
