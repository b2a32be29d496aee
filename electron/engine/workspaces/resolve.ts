/**
 * A run's workspace, checked before anything is written: the repository, its base commit, and
 * what works there. Each refusal names the field to fix (`workspace.repo`, `workspace.base`).
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { WorkspaceConfig } from '../../../shared/workspaces.js';
import { GitFailure, type Git } from './git.js';
import type { ResolvedWorkspace } from './types.js';

export interface WorkspaceRequest {
  /** The workflow's `workspace` field. */
  config: WorkspaceConfig | undefined;
  /** The run's own choice (`photon run --worktree`, the run dialog), over the workflow's. */
  override?: { isolation: 'worktree' | 'none'; repo?: string; base?: string };
  /** The folder `repo` is relative to: the workflow file's. */
  baseDir: string;
}

/** The repository and base a run's steps start from, or null when the run has no isolation. */
export async function resolveWorkspace(git: Git, request: WorkspaceRequest): Promise<ResolvedWorkspace | null> {
  const isolation = request.override?.isolation ?? request.config?.isolation ?? 'none';
  if (isolation !== 'worktree') return null;
  const repoField = request.override?.repo ?? request.config?.repo ?? '.';
  const baseField = request.override?.base ?? request.config?.base;
  const folder = repoField === '~' ? homedir() : repoField.startsWith('~/') ? join(homedir(), repoField.slice(2)) : resolve(request.baseDir, repoField);
  if (!isFolder(folder)) {
    // Where a relative path starts is the caller's baseDir (the workflow file's folder for `photon run`,
    // the home folder for the app's run dialog): named, so the hint is true wherever it is read.
    const relative = !isAbsolute(repoField) && repoField !== '~' && !repoField.startsWith('~/');
    throw new PhotonError('invalid', `workspace.repo: folder "${folder}" does not exist; fix the path${relative ? ` (a relative path starts from ${request.baseDir})` : ''}`);
  }

  let repo: string;
  try {
    if ((await git.line(['rev-parse', '--is-bare-repository'], { cwd: folder })) === 'true') {
      throw new PhotonError('invalid', `workspace.repo: "${folder}" is a bare repository; point workspace.repo at a clone with a working tree`);
    }
    repo = await git.line(['rev-parse', '--show-toplevel'], { cwd: folder });
  } catch (error) {
    if (error instanceof GitFailure) {
      throw new PhotonError('invalid', `workspace.repo: "${folder}" is not inside a git repository; run \`git init\` there and commit, or point workspace.repo at a repository`);
    }
    throw error;
  }

  const { baseRef, baseCommit } = baseField !== undefined ? await namedBase(git, repo, baseField) : await currentBranch(git, repo);
  return { repo, baseRef, baseCommit, notes: await repositoryNotes(git, repo, baseCommit) };
}

async function namedBase(git: Git, repo: string, base: string): Promise<{ baseRef: string; baseCommit: string }> {
  // `--end-of-options` keeps a base such as "-x" from being read as an option.
  const commit = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`], { cwd: repo, okCodes: [1, 128] });
  if (commit.code !== 0) {
    throw new PhotonError('invalid', `workspace.base: "${base}" is not a branch, tag or commit in ${repo}; \`git branch -a\` and \`git tag\` list what there is`);
  }
  return { baseRef: base, baseCommit: commit.stdout.trim() };
}

async function currentBranch(git: Git, repo: string): Promise<{ baseRef: string; baseCommit: string }> {
  const head = await git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repo, okCodes: [1, 128] });
  if (head.code !== 0) {
    throw new PhotonError('invalid', `workspace.repo: ${repo} has no commit yet; commit something first, the steps start from it`);
  }
  const branch = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, okCodes: [1] });
  if (branch.code !== 0) {
    throw new PhotonError(
      'invalid',
      `workspace.base: ${repo} has a detached HEAD (at ${head.stdout.trim().slice(0, 12)}) and no base was named; name a branch, tag or commit in workspace.base (or --base)`,
    );
  }
  return { baseRef: branch.stdout.trim(), baseCommit: head.stdout.trim() };
}

/** Submodules and LFS at the base: said once, with what works. */
async function repositoryNotes(git: Git, repo: string, commit: string): Promise<string[]> {
  const notes: string[] = [];
  const files = await git.run(['ls-tree', '--name-only', commit, '.gitmodules', '.gitattributes'], { cwd: repo });
  const names = new Set(files.stdout.split('\n').filter(Boolean));
  if (names.has('.gitmodules')) {
    notes.push('this repository has submodules: each worktree gets the submodule folders empty (git worktree does not check them out); a step that needs them runs `git submodule update --init` itself');
  }
  if (names.has('.gitattributes')) {
    const attributes = await git.run(['show', `${commit}:.gitattributes`], { cwd: repo });
    if (/filter=lfs/.test(attributes.stdout)) {
      const lfs = await git.run(['lfs', 'version'], { cwd: repo, okCodes: [1, 128, 129] });
      notes.push(
        lfs.code === 0
          ? 'this repository uses Git LFS: each worktree checks its LFS files out through git-lfs, as a clone does'
          : 'this repository uses Git LFS but git-lfs is not installed: worktrees hold the LFS pointer files, not their contents; install git-lfs to get them',
      );
    }
  }
  return notes;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
