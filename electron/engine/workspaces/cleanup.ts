/**
 * Letting go of what Photon made for a run: its worktrees (only folders under Photon's worktrees
 * folder) and its branches (only the `photon/` names it recorded for that run). A branch that
 * someone else has checked out, or that moved to a commit Photon never recorded (someone built on
 * it), is kept and said so: removing it could lose their work.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemovedWorkspaces } from '../../../shared/workspace-review.js';
import type { StepWorkspaceRow, WorkspacesRepository } from '../storage/index.js';
import type { Git } from './git.js';
import { isRunBranch, resultBranch, runWorktreesFolder } from './names.js';
import { inside } from './within.js';
import { removeWorktree, worktreesByBranch } from './worktree.js';

export interface CleanupContext {
  git: Git;
  repo: WorkspacesRepository;
  dataDir: string;
}

/** Photon's worktrees folder: every worktree it makes is under it. */
export function worktreesFolder(dataDir: string): string {
  return join(dataDir, 'worktrees');
}

/** Removes a run's worktrees, and with `branches` its branches too. */
export async function removeRunWorkspaces(ctx: CleanupContext, runId: string, options: { branches: boolean }): Promise<RemovedWorkspaces> {
  const run = ctx.repo.getRunWorkspace(runId);
  const removed: RemovedWorkspaces = { worktrees: [], branches: [], kept: [] };
  if (!run) return removed;
  const rows = ctx.repo.stepWorkspaces(runId);
  const folder = runWorktreesFolder(ctx.dataDir, runId);
  const repoThere = existsSync(run.repo);

  // The commits Photon knows each branch at, read before the worktrees (and their HEADs) go.
  const known = new Map<string, Set<string>>();
  const know = (branch: string, commit: string | null) => {
    if (commit) known.set(branch, (known.get(branch) ?? new Set()).add(commit));
  };
  for (const row of rows) {
    know(row.branch, row.baseCommit);
    know(row.branch, row.resultCommit);
    if (repoThere && existsSync(row.path)) know(row.branch, await headOf(ctx.git, row.path));
  }
  know(run.branch, run.resultCommit);

  for (const path of await worktreePaths(ctx, run.repo, rows, folder, repoThere)) {
    if (repoThere) await removeWorktree(ctx.git, run.repo, path);
    else await rm(path, { recursive: true, force: true });
    removed.worktrees.push(path);
  }
  ctx.repo.transaction(() => {
    for (const row of rows) if (row.state !== 'removed') ctx.repo.setStepWorkspaceState(runId, row.step, row.attempt, 'removed');
  });
  if (existsSync(folder)) await rm(folder, { recursive: true, force: true });

  if (options.branches && repoThere) {
    const branches = [...new Set([...rows.map((r) => r.branch), resultBranch(runId)])].filter((b) => isRunBranch(runId, b));
    const holders = await worktreesByBranch(ctx.git, run.repo);
    for (const branch of branches) {
      const tip = await ctx.git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: run.repo, okCodes: [1] });
      if (tip.code !== 0) continue;
      const commit = tip.stdout.trim();
      const holder = holders.get(branch);
      if (holder !== undefined && !inside(holder, worktreesFolder(ctx.dataDir))) {
        removed.kept.push({ branch, reason: `it is checked out in ${holder}; check out another branch there, then delete it with \`git branch -D ${branch}\`` });
        continue;
      }
      if (!known.get(branch)?.has(commit)) {
        removed.kept.push({ branch, reason: `it moved to ${commit.slice(0, 12)}, a commit Photon did not make; delete it yourself if you no longer need it (\`git branch -D ${branch}\`)` });
        continue;
      }
      // The tip read above: git refuses if the branch moves meanwhile.
      const deleted = await ctx.git.run(['update-ref', '-d', `refs/heads/${branch}`, commit], { cwd: run.repo, okCodes: [1, 128] });
      if (deleted.code === 0) removed.branches.push(branch);
      else removed.kept.push({ branch, reason: `git could not delete it (${deleted.stderr.trim()})` });
    }
  }
  return removed;
}

/**
 * The worktrees to remove: the ones recorded for the run and any other worktree of the repository
 * that git lists under the run's folder (an engine that died between making one and recording it).
 */
async function worktreePaths(ctx: CleanupContext, repo: string, rows: readonly StepWorkspaceRow[], folder: string, repoThere: boolean): Promise<string[]> {
  const paths = new Set(rows.filter((r) => r.state !== 'removed' && existsSync(r.path)).map((r) => r.path));
  if (repoThere) {
    const list = await ctx.git.run(['worktree', 'list', '--porcelain', '-z'], { cwd: repo });
    for (const field of list.stdout.split('\0')) if (field.startsWith('worktree ')) paths.add(field.slice('worktree '.length));
  }
  return [...paths].filter((path) => inside(path, folder) && path !== folder);
}

async function headOf(git: Git, worktree: string): Promise<string | null> {
  const head = await git.run(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: worktree, okCodes: [1, 128] });
  return head.code === 0 ? head.stdout.trim() : null;
}

/** Bytes a folder takes on disk (blocks allocated, links not followed); 0 when it is gone. */
export async function diskUsage(folder: string): Promise<number> {
  let total = 0;
  const pending = [folder];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const batch = pending.splice(0, 64);
    await Promise.all(
      batch.map(async (path) => {
        let stat;
        try {
          stat = await lstat(path);
        } catch {
          return;
        }
        // A file linked twice (hard links, as some package managers make) takes its space once.
        if (stat.nlink > 1 && !stat.isDirectory()) {
          const key = `${stat.dev}:${stat.ino}`;
          if (seen.has(key)) return;
          seen.add(key);
        }
        total += stat.blocks * 512;
        if (stat.isDirectory()) {
          const names = await readdir(path).catch(() => [] as string[]);
          for (const name of names) pending.push(join(path, name));
        }
      }),
    );
  }
  return total;
}
