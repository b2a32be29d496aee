/**
 * Workspaces: each step of a run with isolation works in its own git worktree and branch, made
 * under the data folder from its starting point (the run's base, its dependency's result, or the
 * merge of its dependencies' results); its changes become one commit on its branch; the run's
 * result branch merges its final steps'. git runs as the user's own program; nothing here writes
 * to the user's working tree, checked-out branch or config, and every branch made is under
 * `refs/heads/photon/` (see names.ts).
 *
 * The only door of this folder: runs/ plugs it into the attempt pipeline through `RunWorkspaces`
 * (from `WorkspaceService.forRun`); hosts reach review and housekeeping (diff, merge, pull
 * request, discard, cleanup, prune, usage, setup-script trust) through `WorkspaceActions`.
 */
export { branchPrefix, isRunBranch, resultBranch, runWorktreesFolder, stepBranch, stepWorktreePath } from './names.js';
export { Git, GitFailure, isWorktreeRace, retryWorktreeRace, type GitOptions, type GitResult } from './git.js';
export { portBlockSize } from './ports.js';
export { changeStats } from './step-commit.js';
export { removeWorktree, worktreesByBranch } from './worktree.js';
export { WorkspaceService, type WorkspaceServiceOptions } from './service.js';
export type { WorkspaceRequest } from './resolve.js';
export { WorkspaceActions, type RunRef, type WorkspaceActionsOptions } from './actions.js';
export { mergeTargets } from './branches.js';
export { createSetupHook, findSetupScript, repoSetupPath, runSetupScript, SetupTrust, type SetupHook, type SetupRun, type SetupScript } from './setup.js';
export { ConflictingResults } from './start-point.js';
export type { OpenedTerminalWorktree, TerminalWorktrees } from './terminal-worktrees.js';
export type { AttemptAuthor, PreparedWorkspace, RemoteClone, ResolvedWorkspace, RunWorkspaces } from './types.js';
