import type { ChangeStats } from './workspaces.js';

/**
 * Reviewing and landing what a run with workspaces did: a step's or the run's diff, merging the
 * run's result branch into the user's branch, a pull request, and Photon's worktrees on disk.
 */

/** How a file changed, as `git diff --raw` says it (renames are shown as a deletion and an addition). */
export type FileChangeStatus = 'added' | 'modified' | 'deleted' | 'type_changed';

export interface FileChange {
  path: string;
  status: FileChangeStatus;
  /** Lines added and removed; 0 for a binary file. */
  linesAdded: number;
  linesRemoved: number;
  binary: boolean;
}

/** A diff between two commits (or a failed attempt's uncommitted worktree): per-file stats and the unified diff text. */
export interface WorkspaceDiff {
  runId: string;
  /** The step whose attempt this is, or null for the whole run (its result against its base). */
  step: number | null;
  /** The attempt a step's diff is of (its latest), or null for the run. */
  attempt: number | null;
  /** The commit the changes are against: the step's starting point, or the run's base. */
  from: string;
  /** The commit of the changes, or null when they are a failed or running attempt's uncommitted files. */
  to: string | null;
  /** What `to` stands for, for a person: "result of step 2", "uncommitted files of attempt 1 (failed)"… */
  describes: string;
  files: FileChange[];
  totals: ChangeStats;
  /** The unified diff (`git diff` with a/ and b/ prefixes); empty when only the stats were asked for. */
  patch: string;
}

export const mergeStrategies = ['ff', 'squash', 'merge-commit'] as const;
/**
 * `ff` moves the branch to the run's result (only when the branch has not moved since the run's
 * base); `squash` adds one commit holding all of the run's changes; `merge-commit` adds a merge
 * commit whose second parent is the run's result.
 */
export type MergeStrategy = (typeof mergeStrategies)[number];

export interface MergeOutcome {
  runId: string;
  /** The branch merged into. */
  into: string;
  strategy: MergeStrategy;
  /** The branch's commit before and after. */
  before: string;
  after: string;
  /** The working tree updated (the branch is checked out there), or null when no working tree was touched. */
  workingTree: string | null;
  /** What it did (or, for a dry run, would do), in words. */
  summary: string;
  /** True for a dry run: nothing was changed. */
  dryRun: boolean;
  /** What was removed afterwards (the run's worktrees and branches); empty for a dry run. */
  removed: RemovedWorkspaces;
}

export interface PullRequestOutcome {
  runId: string;
  /** The remote the result branch was pushed to. */
  remote: string;
  /** The branch pushed (the run's result branch) and the one the pull request targets. */
  head: string;
  base: string;
  /** The pull request's address, as `gh` printed it. */
  url: string;
}

/** What discard, merge, cleanup or prune removed. */
export interface RemovedWorkspaces {
  worktrees: string[];
  branches: string[];
  /** Branches Photon made but left because someone else is using or moved them, each with why. */
  kept: { branch: string; reason: string }[];
}

/** The branches a run's result can be merged into (Photon's own `photon/` branches left out). */
export interface MergeTargets {
  repo: string;
  /** Local branches, sorted. */
  branches: string[];
  /** The branch checked out in the repository's own working tree, or null (a detached HEAD). */
  current: string | null;
}

/** One run's worktrees on disk. */
export interface RunWorkspaceUsage {
  runId: string;
  workflowName: string;
  status: string;
  repo: string;
  /** The result branch, when it exists. */
  branch: string | null;
  worktrees: number;
  bytes: number;
  /** Whether the run has ended (its worktrees may be cleaned up). */
  finished: boolean;
}

export interface WorkspacesUsage {
  /** The folder holding every worktree Photon made. */
  folder: string;
  /** Every worktree under the folder, the runs' and those made ahead of time. */
  totalBytes: number;
  /** Worktrees made ahead of time so the next steps start faster (the engine keeps and reuses them). */
  poolBytes: number;
  runs: RunWorkspaceUsage[];
  /** Worktrees made for terminals opened in a new worktree (kept after the terminal closes). */
  terminals: TerminalWorktreeUsage[];
}

/** A terminal's worktree on disk (branch `photon/term-<id>`). */
export interface TerminalWorktreeUsage {
  id: string;
  repo: string;
  branch: string;
  path: string;
  bytes: number;
  /** Its terminal is still open (prune leaves it). */
  open: boolean;
  createdAt: string;
}

/** A setup script a run would run in each new worktree, and whether the user trusts it. */
export interface SetupScriptInfo {
  repo: string;
  /** `repo`: the repository's `.photon/setup`; `workflow`: the workflow's `workspace.setup`. */
  source: 'repo' | 'workflow';
  /** Where it is, for a person: the file's path, or the workflow field. */
  location: string;
  sha256: string;
  text: string;
  trusted: boolean;
  /** For a repository's script last changed by a step of a Photon run (an agent rewrote it): that run, step and commit. */
  changedBy?: { runId: string; step: number; commit: string };
}
