import { isActiveRunStatus, type RunDetail } from '../../shared/runs.js';
import type { MergeStrategy, RemovedWorkspaces } from '../../shared/workspace-review.js';
import type { ChangeStats, WorkspaceOutcome } from '../../shared/workspaces.js';
import { formatWhen } from '../lib/format.js';

/**
 * What a run with workspaces did, said in words: change counts, what a merge, a pull request or a
 * discard will do before the user asks for it, and what it did after.
 */

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "3 files changed, +12 −4"; "No changes" for none; null while nothing is known (running, never ran). */
export function changesText(stats: ChangeStats | null | undefined): string | null {
  if (!stats) return null;
  if (stats.filesChanged === 0) return 'No changes';
  return `${plural(stats.filesChanged, 'file')} changed, +${stats.linesAdded.toLocaleString('en-US')} −${stats.linesRemoved.toLocaleString('en-US')}`;
}

/** What a step's node says about its code: a count to scan the canvas by, or nothing to show. */
export type CodeMark = { kind: 'changed'; files: number; added: number; removed: number } | { kind: 'unchanged' } | null;

/** From a step's `workspace.changes`: null until its attempt ended (or without a workspace). */
export function codeMark(changes: ChangeStats | null | undefined): CodeMark {
  if (!changes) return null;
  if (changes.filesChanged === 0) return { kind: 'unchanged' };
  return { kind: 'changed', files: changes.filesChanged, added: changes.linesAdded, removed: changes.linesRemoved };
}

export const strategyLabels: Record<MergeStrategy, string> = {
  ff: 'Fast-forward',
  squash: 'Squash into one commit',
  'merge-commit': 'Merge commit',
};

/** What a strategy does, before the engine's dry run names the commits. */
export function strategyWords(strategy: MergeStrategy, into: string, resultBranch: string): string {
  switch (strategy) {
    case 'ff':
      return `Moves ${into} to the run's result (${resultBranch}), keeping each step's commit; refused if ${into} has moved since the run started.`;
    case 'squash':
      return `Adds one commit to ${into} holding all of the run's changes.`;
    case 'merge-commit':
      return `Adds a merge commit to ${into} whose second parent is the run's result, keeping each step's commit.`;
  }
}

/** What landing or discarding also removes, so nothing disappears unannounced. */
export function cleanupWords(worktrees: number): string {
  return `Afterwards Photon removes this run's ${plural(worktrees, 'worktree')} and the photon/ branches it made; your other branches and your working tree's uncommitted changes are never touched.`;
}

/** "Removed 3 worktrees and 4 branches. Kept photon/x: checked out in …". */
export function removedText(removed: RemovedWorkspaces): string {
  const parts = [`Removed ${plural(removed.worktrees.length, 'worktree')} and ${plural(removed.branches.length, 'branch', 'branches')}.`];
  for (const kept of removed.kept) parts.push(`Kept ${kept.branch}: ${kept.reason}.`);
  return parts.join(' ');
}

/** How many worktrees of a run are still on disk: the steps' latest attempts not yet removed. */
export function worktreesOnDisk(run: Pick<RunDetail, 'steps'>): number {
  return run.steps.filter((s) => s.workspace && s.workspace.state !== 'removed').length;
}

/** Whether the run's result can be landed now (merged, pushed for review): it ended and its result branch exists. */
export function resultReady(run: Pick<RunDetail, 'status' | 'workspace'>): boolean {
  return !isActiveRunStatus(run.status) && Boolean(run.workspace?.resultCommit) && !run.workspace?.outcome;
}

/** What became of the run's result: "Merged into main at 1a2b3c4d (Fast-forward), 14:03:07"; null while it waits for the user. */
export function outcomeText(outcome: WorkspaceOutcome | null, now = new Date()): string | null {
  if (!outcome) return null;
  if (outcome.kind === 'discarded') return `Discarded, ${formatWhen(outcome.at, now)}.`;
  return `Merged into ${outcome.into} at ${shortCommit(outcome.commit)} (${strategyLabels[outcome.strategy]}), ${formatWhen(outcome.at, now)}.`;
}

/** Short commit ids, as git prints them. */
export const shortCommit = (commit: string | null | undefined): string => (commit ? commit.slice(0, 8) : '—');
