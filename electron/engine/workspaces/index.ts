/**
 * Workspaces: each step of a run with isolation works in its own git worktree and branch, made
 * under the data folder from its starting point (the run's base, its dependency's result, or the
 * merge of its dependencies' results); its changes become one commit on its branch; the run's
 * result branch merges its final steps'. git runs as the user's own program; nothing here writes
 * to the user's working tree, checked-out branch or config, and every branch made is under
 * `refs/heads/photon/` (see names.ts).
 *
 * The only door of this folder: runs/ plugs it into the attempt pipeline through `RunWorkspaces`;
 * review (diff, merge, discard, prune) builds on the rows in storage and the names here.
 */
export { branchPrefix, isRunBranch, resultBranch, runWorktreesFolder, stepBranch, stepWorktreePath } from './names.js';
export type { AttemptAuthor, PreparedWorkspace, ResolvedWorkspace, RunWorkspaces } from './types.js';
