/**
 * Where an attempt works inside its worktree: the folder a step or agent names, read as a place in
 * the repository and found again in the worktree (here, or on a host), and the recorded path of a
 * worktree on a host.
 */
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';

/**
 * A step's folder inside its worktree: where the folder it names (or the workflow's folder) sits
 * in the repository. A folder the step names outside the repository is refused, since the step
 * would then work outside its worktree; an agent's default folder there falls back to the root.
 */
export function folderInWorktree(input: { path: string | null; baseDir: string; place: string; repoRoot: string; worktree: string }): string {
  const { place, worktree } = input;
  const inside = placeInRepository(input);
  const folder = join(worktree, inside);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder) throw new PhotonError('invalid', `${place}: folder "${inside}" does not exist in the step's worktree (the repository at its starting point); create it in the repository or fix the path`);
  return folder;
}

/**
 * Where a folder as written (or the workflow's folder) sits in the repository, '' for its top. One
 * the step names outside the repository is refused, since the step would then work outside its
 * worktree; an agent's default folder there falls back to the top.
 */
export function placeInRepository(input: { path: string | null; baseDir: string; place: string; repoRoot: string }): string {
  const { path, baseDir, place, repoRoot } = input;
  const named = path !== null && path !== '';
  const target = !named ? baseDir : path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : resolve(baseDir, path);
  const inside = relative(repoRoot, real(target));
  if (inside.startsWith('..') || isAbsolute(inside)) {
    if (named && !place.startsWith('agent')) {
      throw new PhotonError('invalid', `${place}: folder "${target}" is outside the repository ${repoRoot}; with a workspace a step works inside its worktree, so name a folder inside the repository`);
    }
    return '';
  }
  return inside;
}

/** A remote worktree's recorded path, `HOST:/path/there`, read back; null for a local one. */
export function remoteLocation(recorded: string): { host: string; path: string } | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*):(\/.*)$/.exec(recorded);
  return match ? { host: match[1]!, path: match[2]! } : null;
}

/** The path with links resolved as far as it exists, so it compares with git's top folder. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
