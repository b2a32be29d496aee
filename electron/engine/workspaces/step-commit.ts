/**
 * What a succeeded attempt leaves: everything it changed in its worktree (tracked, new and
 * deleted files; ignored ones never) as one commit on the step's branch, or its parent's commit
 * passed on when it changed nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangeStats } from '../../../shared/workspaces.js';
import type { Git } from './git.js';

export interface CommitRequest {
  worktree: string;
  branch: string;
  /** The commit the attempt started from. */
  start: string;
  message: string;
  identity: Readonly<Record<string, string>>;
  /** Files it was asked to resolve: it must not leave conflict markers in them. */
  conflicts: readonly string[];
}

export interface CommitOutcome {
  /** The commit the step passes on. */
  commit: string;
  changed: boolean;
  changes: ChangeStats;
}

export async function commitAttempt(git: Git, request: CommitRequest): Promise<CommitOutcome> {
  const { worktree, branch, start, identity } = request;
  const cwd = worktree;
  await git.run(['add', '--all'], { cwd });
  const markers = await filesWithMarkers(worktree, request.conflicts);
  if (markers.length > 0) {
    throw new Error(`it left conflict markers in ${markers.join(', ')}; resolve them (or run the step again)`);
  }
  const staged = await git.run(['diff', '--cached', '--quiet', 'HEAD'], { cwd, okCodes: [1] });
  const merging = await git.run(['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'], { cwd, okCodes: [1] });
  // A merge left for the step to resolve is committed even when the resolution equals HEAD's tree.
  if (staged.code === 1 || merging.code === 0) {
    await git.run(['commit', '--quiet', '--no-verify', '--allow-empty', '-m', request.message], { cwd, env: identity });
  }
  const commit = await git.line(['rev-parse', 'HEAD'], { cwd });
  // The tool may have switched branches in its worktree: the step's branch still gets its result.
  const onBranch = await git.run(['symbolic-ref', '--quiet', 'HEAD'], { cwd, okCodes: [1] });
  if (onBranch.stdout.trim() !== `refs/heads/${branch}`) await git.run(['update-ref', `refs/heads/${branch}`, commit], { cwd });
  return { commit, changed: commit !== start, changes: await changeStats(git, cwd, start, commit) };
}

/** Files, lines added and removed between two commits (`git diff --numstat`; a binary file counts as a file). */
export async function changeStats(git: Git, cwd: string, from: string, to: string): Promise<ChangeStats> {
  const stat = await git.run(['diff', '--numstat', '-z', '--no-renames', from, to], { cwd });
  let filesChanged = 0;
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const record of stat.stdout.split('\0')) {
    const match = /^(\d+|-)\t(\d+|-)\t/.exec(record);
    if (!match) continue;
    filesChanged++;
    if (match[1] !== '-') linesAdded += Number(match[1]);
    if (match[2] !== '-') linesRemoved += Number(match[2]);
  }
  return { filesChanged, linesAdded, linesRemoved };
}

async function filesWithMarkers(worktree: string, files: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(join(worktree, file), 'utf8');
    } catch {
      continue; // Deleted: a resolution too.
    }
    if (/^<{7}( |$)/m.test(text) && /^>{7}( |$)/m.test(text)) left.push(file);
  }
  return left;
}
