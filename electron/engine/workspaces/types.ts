import type { RunStatus } from '../../../shared/runs.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { StepWorkspace } from '../../../shared/workspaces.js';

/** A run's workspace, checked and resolved before the run is written. */
export interface ResolvedWorkspace {
  /** The repository's top folder. */
  repo: string;
  /** The base as the user named it (or the current branch's name). */
  baseRef: string;
  baseCommit: string;
  /** What works and what does not in this repository (submodules, LFS), for the run to say once. */
  notes: string[];
}

/** What a step's attempt gets from its worktree. */
export interface PreparedWorkspace {
  /** The worktree's folder (on the host for a remote step): the attempt's `cwd` resolves inside it. */
  root: string;
  /** PHOTON_WORKTREE, PHOTON_BRANCH, PHOTON_PORT_BASE. */
  env: Record<string, string>;
  /** Files left conflicted by merging its dependencies' results (onConflict "agent"); empty otherwise. */
  conflicts: string[];
  /** Said before an AI step's prompt: which files to resolve. Null when there is nothing to say. */
  promptNote: string | null;
  /**
   * The attempt's folder in the worktree for a folder as written (a step's `cwd`, an agent's, or
   * null for the workflow's own folder), checked to exist there; `place` names where it was written.
   */
  folder(path: string | null, baseDir: string, place: string): string;
}

/** Who did an attempt, for its commit message. */
export interface AttemptAuthor {
  agentId: string | null;
  platform: string;
}

/**
 * A run's part of the attempt pipeline: the executor asks it for an attempt's folder before the
 * process starts, tells it how the attempt ended, and lets it make the run's result at the end.
 * Without isolation every call is a no-op and `prepare` answers null.
 */
export interface RunWorkspaces {
  readonly isolated: boolean;
  /**
   * Makes the attempt's worktree from its starting point: here, or with `remote` in that host's
   * clone of the repository. Throws (failing the attempt) with the reason.
   */
  prepare(step: WorkflowStep, attempt: number, remote?: RemoteClone): Promise<PreparedWorkspace | null>;
  /**
   * After the attempt's process: a success becomes one commit on the step's branch (or passes its
   * parent's commit on); a failure's changes stay in its worktree (a remote worktree is removed
   * from its host either way, a success's commit fetched here first). Answers an error that fails
   * a successful attempt (its commit could not be made), else null.
   */
  finish(step: WorkflowStep, attempt: number, succeeded: boolean, author: AttemptAuthor): Promise<string | null>;
  /** When the run ends: a succeeded run's result branch. Answers the run's status (failed when the result cannot be made). */
  finishRun(status: RunStatus): Promise<RunStatus>;
  /** A step's latest worktree, as step.updated shows it. */
  stepState(step: number): StepWorkspace | undefined;
}

/**
 * A remote host's clone of the repository, as the workspaces reach it: a shell there over the
 * host's shared connection, and git's own ssh transport to it from the local repository.
 */
export interface RemoteClone {
  /** `host "box"`, for messages. */
  readonly where: string;
  /** The host's name, which a remote worktree's recorded path starts with (`box:/srv/repo/...`). */
  readonly host: string;
  /** The clone's path as configured: absolute, or `~/...` under the remote home. */
  readonly path: string;
  /** Runs a POSIX sh script there with these arguments and (non-secret) variables; nothing on its stdin. */
  sh(script: string, args: readonly string[], env?: Readonly<Record<string, string>>): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** git's URL of a repository on the host (an absolute path there). */
  url(path: string): string;
  /** What local git reaches the host with: GIT_SSH_COMMAND on Photon's ssh options and shared connection. */
  readonly gitEnv: Readonly<Record<string, string>>;
  /**
   * What was found of the clone over the host's current shared connection (locateClone's answer),
   * shared by every RemoteClone of that connection and path; a new connection starts empty.
   */
  readonly found: { location?: { top: string; common: string } };
}
