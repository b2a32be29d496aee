/**
 * Making and letting go of one attempt's worktree in the user's repository: only under Photon's
 * data folder, only on Photon's branch, and whole or not at all (a failure leaves no worktree,
 * folder or branch of its own behind).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import { GitFailure, isWorktreeRace, retryWorktreeRace, type Git } from './git.js';

export interface NewWorktree {
  repo: string;
  path: string;
  branch: string;
  commit: string;
  /** Whether Photon made this branch before (an earlier attempt of the step): it may be moved. */
  branchIsOurs: boolean;
}

/** Worktrees of the repository by the branch each has checked out. */
export async function worktreesByBranch(git: Git, repo: string): Promise<Map<string, string>> {
  const list = await git.run(['worktree', 'list', '--porcelain', '-z'], { cwd: repo });
  const byBranch = new Map<string, string>();
  let path = '';
  for (const field of list.stdout.split('\0')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field.startsWith('branch refs/heads/')) byBranch.set(field.slice('branch refs/heads/'.length), path);
  }
  return byBranch;
}

export async function branchExists(git: Git, repo: string, branch: string): Promise<boolean> {
  const found = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: repo, okCodes: [1] });
  return found.code === 0;
}

/**
 * Detaches an earlier attempt's worktree from the step's branch, leaving its files and index as
 * they are (a failed attempt is kept for inspection), so the branch can move to the new attempt.
 */
async function detach(git: Git, worktree: string): Promise<void> {
  const head = await git.line(['rev-parse', 'HEAD'], { cwd: worktree });
  await git.run(['update-ref', '--no-deref', 'HEAD', head], { cwd: worktree });
}

/** Ready worktrees made ahead of time (pool.ts). */
export interface WorktreeSource {
  take(repo: string, path: string, branch: string, commit: string): Promise<boolean>;
}

export function addWorktree(git: Git, target: NewWorktree, ownFolder: string, pool?: WorktreeSource): Promise<void> {
  // A try that lost the race made (and may have left) the branch itself: the next one may move it.
  return retryWorktreeRace((retried) => addWorktreeOnce(git, { ...target, branchIsOurs: target.branchIsOurs || retried }, ownFolder, pool));
}

async function addWorktreeOnce(git: Git, target: NewWorktree, ownFolder: string, pool?: WorktreeSource): Promise<void> {
  const { repo, path, branch, commit } = target;
  const exists = await branchExists(git, repo, branch);
  if (exists && !target.branchIsOurs) {
    throw new PhotonError('conflict', `branch ${branch} already exists in ${repo} and Photon did not make it for this run; rename or delete that branch, then run again`);
  }
  if (exists) {
    const holder = (await worktreesByBranch(git, repo)).get(branch);
    if (holder !== undefined) {
      if (!holder.startsWith(ownFolder)) {
        throw new PhotonError('conflict', `branch ${branch} is checked out in ${holder}, which Photon did not make; check out another branch there, then run again`);
      }
      await detach(git, holder);
    }
  }
  // A folder left by an engine that died between making it and recording it.
  if (existsSync(path)) await removeWorktree(git, repo, path);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    if (await pool?.take(repo, path, branch, commit)) return;
    if (exists) {
      await git.run(['branch', '--force', '--no-track', branch, commit], { cwd: repo });
      await git.run(['worktree', 'add', '--quiet', path, branch], { cwd: repo });
    } else {
      await git.run(['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, commit], { cwd: repo });
    }
  } catch (error) {
    await removeWorktree(git, repo, path).catch(() => undefined);
    if (!exists) await git.run(['branch', '-D', branch], { cwd: repo, okCodes: [1] }).catch(() => undefined);
    if (isWorktreeRace(error)) throw error;
    throw await diskFull(error, dirname(path));
  }
}

/**
 * git says only "unable to write file" when the disk fills during a checkout: the disk is named,
 * with the space left on it, so the fix is plain.
 */
async function diskFull(error: unknown, folder: string): Promise<unknown> {
  if (!(error instanceof GitFailure) || !/unable to write|No space left/i.test(error.result.stderr)) return error;
  let free = '';
  try {
    const stats = await statfs(folder);
    free = ` (${Math.floor((stats.bavail * stats.bsize) / 1024 / 1024)} MB free)`;
  } catch {
    // The message stands without the figure.
  }
  return new PhotonError('unavailable', `the disk holding ${folder} is full${free}, so the step's worktree could not be checked out; free some space (or move Photon's data folder), then run again`);
}

/** Removes a worktree Photon made (registered or only a folder), and git's record of it. */
export async function removeWorktree(git: Git, repo: string, path: string): Promise<void> {
  await git.run(['worktree', 'remove', '--force', '--force', path], { cwd: repo, okCodes: [128] });
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
  await git.run(['worktree', 'prune'], { cwd: repo });
}
