/**
 * Where a step's worktree starts: the run's base (no dependencies), its dependency's result (one),
 * or the merge of its dependencies' results (several), computed with `git merge-tree` in the
 * object store, so no working tree is touched until the merge is known to be clean.
 */
import { PhotonError } from '../../../shared/errors.js';
import type { ConflictPolicy } from '../../../shared/workspaces.js';
import type { Git } from './git.js';

/** A dependency's result: the commit its step passed on. */
export interface ParentResult {
  step: number;
  commit: string;
}

export interface StartPoint {
  /** The commit the worktree is made at. */
  commit: string;
  /**
   * With `onConflict: "agent"`: the result still to merge into the worktree with `git merge`,
   * leaving the conflicts for the step to resolve.
   */
  pendingMerge: { commit: string; steps: number[] } | null;
  /** Files that conflict (agent mode), sorted. */
  conflicts: string[];
}

export interface MergeContext {
  git: Git;
  repo: string;
  /** Author and committer for the merge commits Photon makes. */
  identity: Readonly<Record<string, string>>;
}

/** The commits merged, by the steps they came from. */
interface Merged {
  commit: string;
  steps: number[];
}

/**
 * A step's dependencies' results conflict, so it cannot start. Another attempt would merge the
 * same commits and meet the same conflict, so the run does not retry it, whatever its retry policy.
 */
export class ConflictingResults extends PhotonError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export async function startPoint(ctx: MergeContext, base: string, parents: readonly ParentResult[], step: number, policy: ConflictPolicy): Promise<StartPoint> {
  const unique = dedupe(parents);
  if (unique.length === 0) return { commit: base, pendingMerge: null, conflicts: [] };
  let merged: Merged = unique[0]!;
  const deferred: { next: Merged; files: string[] }[] = [];
  for (const next of unique.slice(1)) {
    const outcome = await mergeCommits(ctx, merged, next);
    if ('files' in outcome) {
      if (policy !== 'agent') {
        throw new ConflictingResults(
          `step ${step} cannot start: the results of ${stepList([...merged.steps, ...next.steps])} conflict in ${outcome.files.join(', ')}; ` +
            `make those steps change different parts of the files, or set "onConflict": "agent" on step ${step} to have it resolve them`,
        );
      }
      deferred.push({ next, files: outcome.files });
    } else {
      merged = outcome;
    }
  }
  if (deferred.length === 0) return { commit: merged.commit, pendingMerge: null, conflicts: [] };

  // Every conflicting result but the last is merged with its conflict markers committed (git can
  // leave only one merge in progress); the last is merged in the worktree, where `git status`
  // shows its conflicts as usual.
  const conflicts = new Set<string>();
  for (const { next, files } of deferred.slice(0, -1)) {
    files.forEach((file) => conflicts.add(file));
    merged = await commitConflicted(ctx, merged, next);
  }
  const last = deferred.at(-1)!;
  last.files.forEach((file) => conflicts.add(file));
  return { commit: merged.commit, pendingMerge: { commit: last.next.commit, steps: last.next.steps }, conflicts: [...conflicts].sort() };
}

/** Results passed on unchanged (two steps that changed nothing) are one commit. */
function dedupe(parents: readonly ParentResult[]): Merged[] {
  const byCommit = new Map<string, Merged>();
  for (const { step, commit } of parents) {
    const seen = byCommit.get(commit);
    if (seen) seen.steps.push(step);
    else byCommit.set(commit, { commit, steps: [step] });
  }
  return [...byCommit.values()];
}

async function mergeCommits(ctx: MergeContext, ours: Merged, theirs: Merged): Promise<Merged | { files: string[] }> {
  const steps = [...ours.steps, ...theirs.steps];
  // One already holds the other (a step and its own ancestor): nothing to merge.
  if (await isAncestor(ctx, theirs.commit, ours.commit)) return { commit: ours.commit, steps };
  if (await isAncestor(ctx, ours.commit, theirs.commit)) return { commit: theirs.commit, steps };
  const tree = await mergeTree(ctx, ours.commit, theirs.commit);
  if (tree.files.length > 0) return { files: tree.files };
  return { commit: await commitTree(ctx, tree.tree, [ours.commit, theirs.commit], `Merge the results of ${stepList(steps)}`), steps };
}

async function commitConflicted(ctx: MergeContext, ours: Merged, theirs: Merged): Promise<Merged> {
  const tree = await mergeTree(ctx, ours.commit, theirs.commit);
  const steps = [...ours.steps, ...theirs.steps];
  const message = `Merge the results of ${stepList(steps)}, with conflicts left to resolve in ${tree.files.join(', ')}`;
  return { commit: await commitTree(ctx, tree.tree, [ours.commit, theirs.commit], message), steps };
}

async function isAncestor(ctx: MergeContext, maybeAncestor: string, commit: string): Promise<boolean> {
  const result = await ctx.git.run(['merge-base', '--is-ancestor', maybeAncestor, commit], { cwd: ctx.repo, okCodes: [1] });
  return result.code === 0;
}

/** The merged tree (with conflict markers where they conflict) and the conflicted files. */
async function mergeTree(ctx: MergeContext, ours: string, theirs: string): Promise<{ tree: string; files: string[] }> {
  const result = await ctx.git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs], { cwd: ctx.repo, okCodes: [1] });
  const [tree = '', ...rest] = result.stdout.split('\0');
  const files = result.code === 0 ? [] : [...new Set(rest.filter(Boolean))].sort();
  return { tree, files };
}

export async function commitTree(ctx: MergeContext, tree: string, parents: readonly string[], message: string): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-m', message];
  return ctx.git.line(args, { cwd: ctx.repo, env: ctx.identity });
}

/** Folds commits into one merge, failing on a conflict; for the run's result. */
export async function mergeAll(ctx: MergeContext, base: string, parents: readonly ParentResult[]): Promise<{ commit: string } | { files: string[]; steps: number[] }> {
  const unique = dedupe(parents);
  if (unique.length === 0) return { commit: base };
  let merged = unique[0]!;
  for (const next of unique.slice(1)) {
    const outcome = await mergeCommits(ctx, merged, next);
    if ('files' in outcome) return { files: outcome.files, steps: [...merged.steps, ...next.steps] };
    merged = outcome;
  }
  return { commit: merged.commit };
}

export function stepList(steps: readonly number[]): string {
  const names = [...steps].sort((a, b) => a - b).map((s) => `step ${s}`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
