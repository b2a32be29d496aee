/**
 * Where Photon keeps worktrees and what it names its branches: the conventions review, prune and
 * the UI rely on. Every branch Photon makes lives under `refs/heads/photon/`, and only the names
 * below are ever Photon's.
 *
 * A step's branch cannot be `photon/<runId>/<step>` beside a result branch `photon/<runId>`: git
 * keeps refs as paths, and a ref cannot be both a file and a folder. Steps therefore get
 * `photon/<runId>-step-<N>`, which also sorts beside the run's result.
 */
import { join } from 'node:path';

export const branchPrefix = 'photon/';

/** The folder holding a run's worktrees. */
export function runWorktreesFolder(dataDir: string, runId: string): string {
  return join(dataDir, 'worktrees', runId);
}

/**
 * An attempt's worktree: `step-<N>` for the first attempt, `step-<N>-attempt-<K>` for a later one
 * (a failed attempt's worktree stays as it was, for inspection).
 */
export function stepWorktreePath(dataDir: string, runId: string, step: number, attempt: number): string {
  return join(runWorktreesFolder(dataDir, runId), attempt <= 1 ? `step-${step}` : `step-${step}-attempt-${attempt}`);
}

/** The step's branch: its succeeded attempt's commit (or its parent's, when it changed nothing). */
export function stepBranch(runId: string, step: number): string {
  return `${branchPrefix}${runId}-step-${step}`;
}

/** The run's result: the merge of its final steps' branches. */
export function resultBranch(runId: string): string {
  return `${branchPrefix}${runId}`;
}

/** Whether a branch is one Photon made for this run (its result or a step's). */
export function isRunBranch(runId: string, branch: string): boolean {
  return branch === resultBranch(runId) || new RegExp(`^${escapeRegExp(branchPrefix + runId)}-step-\\d+$`).test(branch);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
