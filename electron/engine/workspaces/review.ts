/**
 * What changed, for review: a step's diff against its starting point and the run's against its
 * base, as per-file stats and unified diff text. Read only: nothing here writes to the user's
 * repository, its index or any worktree's index (a failed attempt's uncommitted files are read
 * through a throwaway index file).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { FileChange, FileChangeStatus } from '../../../shared/workspace-review.js';
import type { ChangeStats } from '../../../shared/workspaces.js';
import type { Git } from './git.js';

/**
 * The same diff whatever the user's config says: no external diff programs or textconv filters
 * (a repository's attributes must not run code), the usual a/ b/ prefixes, no colour, and renames
 * as a deletion and an addition so the counts match the ones on the step's node.
 */
const diffFlags = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/'];

export interface DiffRange {
  /** Where git runs: the user's repository, or the worktree for uncommitted files. */
  cwd: string;
  from: string;
  /** A commit or tree. */
  to: string;
}

/** Per-file changes between two commits or trees. */
export async function fileChanges(git: Git, range: DiffRange): Promise<FileChange[]> {
  const out = await git.run(['diff', ...diffFlags, '--raw', '--numstat', '-z', range.from, range.to, '--'], { cwd: range.cwd });
  const tokens = out.stdout.split('\0');
  const statusOf = new Map<string, FileChangeStatus>();
  const files: FileChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith(':')) {
      // ":100644 100644 abc def M" then the path.
      const letter = token.trim().split(' ').at(-1)?.[0] ?? 'M';
      statusOf.set(tokens[++i] ?? '', letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : letter === 'T' ? 'type_changed' : 'modified');
      continue;
    }
    const stat = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/.exec(token);
    if (!stat) continue;
    const binary = stat[1] === '-';
    const path = stat[3]!;
    files.push({ path, status: statusOf.get(path) ?? 'modified', linesAdded: binary ? 0 : Number(stat[1]), linesRemoved: binary ? 0 : Number(stat[2]), binary });
  }
  return files;
}

export function totalsOf(files: readonly FileChange[]): ChangeStats {
  return {
    filesChanged: files.length,
    linesAdded: files.reduce((sum, f) => sum + f.linesAdded, 0),
    linesRemoved: files.reduce((sum, f) => sum + f.linesRemoved, 0),
  };
}

/** The unified diff text between two commits or trees. */
export async function patchText(git: Git, range: DiffRange): Promise<string> {
  return (await git.run(['diff', ...diffFlags, range.from, range.to, '--'], { cwd: range.cwd })).stdout;
}

/**
 * A worktree's files as a tree object (tracked, new and deleted files; ignored ones never), written
 * through a temporary index so neither the worktree's index nor its files change.
 */
export async function worktreeTree(git: Git, worktree: string): Promise<string> {
  if (!existsSync(worktree)) {
    throw new PhotonError('not_found', `the attempt's worktree ${worktree} is gone (it was cleaned up), so its uncommitted changes cannot be shown`);
  }
  const scratch = await mkdtemp(join(tmpdir(), 'photon-review-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await git.run(['read-tree', 'HEAD'], { cwd: worktree, env });
    await git.run(['add', '--all', '--', '.'], { cwd: worktree, env });
    return await git.line(['write-tree'], { cwd: worktree, env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Refuses, naming the fix, when a commit the database recorded is no longer in the repository. */
export async function requireCommits(git: Git, repo: string, commits: readonly string[], what: string): Promise<void> {
  if (!existsSync(repo)) {
    throw new PhotonError('not_found', `the repository ${repo} of ${what} is gone; move it back, or discard the run's workspaces with \`photon discard\``);
  }
  for (const commit of commits) {
    const found = await git.run(['cat-file', '-e', `${commit}^{object}`], { cwd: repo, okCodes: [1, 128] });
    if (found.code !== 0) {
      throw new PhotonError('not_found', `commit ${commit.slice(0, 12)} of ${what} is no longer in ${repo} (its branches were deleted and git collected it); there is nothing left to show`);
    }
  }
}
