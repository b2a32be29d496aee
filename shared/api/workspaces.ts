import { z } from 'zod';
import {
  mergeStrategies,
  type MergeOutcome,
  type MergeTargets,
  type PullRequestOutcome,
  type RemovedWorkspaces,
  type SetupScriptInfo,
  type WorkspaceDiff,
  type WorkspacesUsage,
} from '../workspace-review.js';
import { id, lazyMethods, noParams, once, returns } from './schema.js';

/** Which workflow and repository a setup script question is about: as runs.start names them. */
const setupParams = once(() =>
  z
    .object({
      workflowId: id.optional(),
      workflow: z.unknown().optional(),
      baseDir: z.string().min(1).max(4096).optional(),
      workspace: z.object({ repo: z.string().min(1).max(4096).optional(), base: z.string().min(1).max(1000).optional() }).strict().optional(),
    })
    .strict(),
);

/** A run's git worktrees: review, merge, open a pull request, discard, trust a setup script. */
export const workspaceMethods = lazyMethods({
  /**
   * What a run with workspaces changed: a step's latest attempt against its starting point (`step`),
   * or the run's result against its base; per-file stats and, unless `stat`, the unified diff.
   */
  'workspaces.diff': {
    params: () => z.object({ runId: id, step: z.number().int().min(1).optional(), stat: z.boolean().optional() }).strict(),
    result: returns<WorkspaceDiff>(),
  },
  /**
   * Merges an ended run's result into a branch (`into`, the run's base branch by default), then
   * removes the run's worktrees and branches. Only that branch moves; a working tree that has it
   * checked out is fast-forwarded, and refused when the merge would touch its uncommitted changes.
   * `dryRun` says what it would do and changes nothing.
   */
  'workspaces.merge': {
    params: () => z.object({ runId: id, into: z.string().min(1).max(255).optional(), strategy: z.enum(mergeStrategies), dryRun: z.boolean().optional() }).strict(),
    result: returns<MergeOutcome>(),
  },
  /** The branches of the run's repository that its result can be merged into. */
  'workspaces.branches': { params: () => z.object({ runId: id }).strict(), result: returns<MergeTargets>() },
  /** Pushes the run's result branch to the repository's GitHub remote and opens a pull request with `gh` (against `base`, the run's base by default). */
  'workspaces.pullRequest': {
    params: () => z.object({ runId: id, base: z.string().min(1).max(255).optional(), title: z.string().min(1).max(256).optional() }).strict(),
    result: returns<PullRequestOutcome>(),
  },
  /** Removes an ended run's worktrees and the branches Photon made for it. */
  'workspaces.discard': { params: () => z.object({ runId: id }).strict(), result: returns<RemovedWorkspaces>() },
  /** The disk space Photon's worktrees take, by run. */
  'workspaces.usage': { params: () => noParams, result: returns<WorkspacesUsage>() },
  /** Removes the worktrees of ended runs (those named, else all), keeping their branches so results stay reviewable. */
  'workspaces.cleanup': { params: () => z.object({ runIds: z.array(id).min(1).max(1000).optional() }).strict().optional(), result: returns<RemovedWorkspaces>() },
  /** Removes every worktree and branch Photon made for runs that are not running, and nothing else. */
  'workspaces.prune': { params: () => noParams, result: returns<RemovedWorkspaces>() },
  /** The setup script a run of this workflow would run in each new worktree, and whether it is trusted (null when there is none). */
  'workspaces.setupScript': { params: setupParams, result: returns<SetupScriptInfo | null>() },
  /** Trusts that setup script, pinned to its sha256: refused when the script no longer has the hash the user was shown. */
  'workspaces.trustSetup': {
    params: () => setupParams().safeExtend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex (64 characters)') }),
    result: returns<SetupScriptInfo>(),
  },
});
