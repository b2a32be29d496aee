import { z } from 'zod';
import type { MergeStrategy } from './workspace-review.js';

/**
 * Workspaces: with isolation on, every step of a run works in its own git worktree and branch,
 * made by Photon under its data folder from the step's starting point (the run's base, its
 * dependency's result, or the merge of its dependencies' results). The user's own working tree,
 * branches and config are never written to by a run.
 */

export const isolationModes = ['worktree', 'none'] as const;
export type IsolationMode = (typeof isolationModes)[number];

/** A workflow's `workspace` field. */
export const workspaceSchema = z.looseObject({
  /** The git repository, relative to the workflow file's folder (the run's base folder). */
  repo: z.string().min(1).default('.'),
  /** `none` keeps every step in its own `cwd`, as without the field. */
  isolation: z.enum(isolationModes).default('worktree'),
  /** A branch, tag or commit; the repository's current branch when absent. */
  base: z.string().min(1).optional(),
  /**
   * A shell script run in each new worktree before its step (copy `.env`, install dependencies),
   * in place of the repository's `.photon/setup`; it runs only once the user trusts it (pinned to its sha256).
   */
  setup: z.string().min(1).max(100_000).optional(),
});
export type WorkspaceConfig = z.output<typeof workspaceSchema>;

/**
 * What a step with several dependencies does when their results conflict: `fail` (the default)
 * fails it before it starts, naming the files; `agent` starts it in the conflicted worktree with
 * the files to resolve named in its prompt.
 */
export const conflictPolicies = ['fail', 'agent'] as const;
export type ConflictPolicy = (typeof conflictPolicies)[number];

/**
 * What became of one attempt's worktree: `active` while the attempt runs; `committed` (its changes
 * are one commit on the step's branch); `unchanged` (it changed nothing: its parent's commit passed
 * on); `kept` (the attempt failed: its changes stay uncommitted in the worktree for inspection);
 * `removed` (the worktree was deleted; the branch may remain).
 */
export const workspaceStates = ['active', 'committed', 'unchanged', 'kept', 'removed'] as const;
export type WorkspaceState = (typeof workspaceStates)[number];

/** Files and lines a change touched, as `git diff --numstat` counts them (binary files count as files only). */
export interface ChangeStats {
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

/** A step's worktree as the UI shows it: its latest attempt's. */
export interface StepWorkspace {
  attempt: number;
  state: WorkspaceState;
  /** The worktree folder, under the data folder; `HOST:/path` for a step on a remote host (its worktree there goes when the attempt ends). */
  path: string;
  /** `photon/<runId>-step-<N>`: the step's branch in the user's repository. */
  branch: string;
  /** The commit the attempt started from. */
  baseCommit: string;
  /** The commit it passed on (null while running, or for a failed attempt). */
  resultCommit: string | null;
  /** Its changes against `baseCommit`; null until it ends. */
  changes: ChangeStats | null;
  /** Files left conflicted by merging its dependencies' results (`onConflict: "agent"`). */
  conflicts: string[];
  /** The first of the 10 TCP ports its processes were given (PHOTON_PORT_BASE). */
  portBase: number | null;
}

/** A run's workspace: where its steps' worktrees come from and its result branch. */
export interface RunWorkspace {
  /** The repository's top folder. */
  repo: string;
  /** The base as the user named it (a branch, tag or commit), and the commit it was then. */
  baseRef: string;
  baseCommit: string;
  /** `photon/<runId>`: the merge of the final steps' branches, made when the run succeeds. */
  branch: string;
  resultCommit: string | null;
  /** The result's changes against `baseCommit`. */
  changes: ChangeStats | null;
  /** Why the result branch could not be made (the final steps' results conflict), if so. */
  error: string | null;
  /** What works and what does not in this repository (submodules, LFS), said once for the run. */
  notes: string[];
  /** What the user did with the result, once merged or discarded (the run's branches are gone then). */
  outcome: WorkspaceOutcome | null;
}

/** A run's result merged into one of the user's branches (the commit that branch then pointed at), or discarded. */
export type WorkspaceOutcome =
  | { kind: 'merged'; into: string; strategy: MergeStrategy; commit: string; at: string }
  | { kind: 'discarded'; at: string };
