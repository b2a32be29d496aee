/** How the workspace commands print what they changed. */
import type { FileChange, RemovedWorkspaces } from '../../../shared/workspace-review.js';
import type { ChangeStats } from '../../../shared/workspaces.js';
import { plural, table } from './format.js';

/** Per-file lines as `git diff --stat` readers expect them, with a total. */
export function statLines(files: readonly FileChange[], totals: ChangeStats): string[] {
  if (files.length === 0) return ['No changes.'];
  const rows = files.map((f) => [f.path, f.status, f.binary ? 'binary' : `+${f.linesAdded}`, f.binary ? '' : `-${f.linesRemoved}`]);
  return [table(['FILE', 'CHANGE', 'ADDED', 'REMOVED'], rows, new Set([2])), `${plural(totals.filesChanged, 'file')} changed, +${totals.linesAdded} -${totals.linesRemoved}`];
}

/** What was removed and what was kept, one line each. */
export function removedLines(removed: RemovedWorkspaces): string[] {
  return [
    ...removed.worktrees.map((path) => `removed worktree ${path}`),
    ...removed.branches.map((branch) => `deleted branch ${branch}`),
    ...removed.kept.map(({ branch, reason }) => `kept branch ${branch}: ${reason}`),
  ];
}
