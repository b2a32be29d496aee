/**
 * Landing a run's result on a branch of the user's choice: the new commit (the result itself, a
 * squash commit or a merge commit) is made in the object store first, so a conflict is found before
 * anything moves. Then only the branch moves: with `update-ref` (compare-and-swap) when no working
 * tree has it checked out, or by a fast-forward of the working tree that has it, which git refuses
 * rather than overwrite a file with uncommitted changes — and Photon refuses first, naming them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { MergeStrategy } from '../../../shared/workspace-review.js';
import { GitFailure, type Git } from './git.js';
import { branchPrefix } from './names.js';
import { inside } from './within.js';
import { worktreesByBranch } from './worktree.js';

export interface MergeRequest {
  repo: string;
  runId: string;
  workflowName: string;
  /** The run's result commit and branch, and its base. */
  result: string;
  resultBranch: string;
  baseRef: string;
  /** The branch to merge into; the run's base branch when absent. */
  into: string | undefined;
  strategy: MergeStrategy;
  /** Photon's worktrees folder: a branch checked out there is never a merge target. */
  ownFolder: string;
}

export interface MergePlan {
  into: string;
  before: string;
  after: string;
  /** The working tree that has `into` checked out (it is fast-forwarded), or null. */
  workingTree: string | null;
  summary: string;
}

/** Works out the merge and checks it can be done without touching anything the user has not committed. Writes only objects. */
export async function planMerge(git: Git, request: MergeRequest): Promise<MergePlan> {
  const { repo, result } = request;
  const into = await targetBranch(git, request);
  const before = await git.line(['rev-parse', '--verify', `refs/heads/${into}^{commit}`], { cwd: repo });
  const holder = await checkedOutIn(git, repo, into, request.ownFolder);

  if (await isAncestor(git, repo, result, before)) {
    return { into, before, after: before, workingTree: null, summary: `${into} already contains the result of run ${request.runId}; nothing to merge` };
  }
  const fastForward = await isAncestor(git, repo, before, result);
  let after: string;
  let how: string;
  if (request.strategy === 'ff') {
    if (!fastForward) {
      throw new PhotonError(
        'conflict',
        `cannot fast-forward ${into}: it has commits the run's result does not have (it moved since the run's base); merge with a merge commit or a squash instead (\`--merge-commit\` or \`--squash\`)`,
      );
    }
    after = result;
    how = `fast-forward ${into} to the run's result ${short(result)}`;
  } else {
    const tree = await mergedTree(git, repo, before, result, into, request.resultBranch);
    const identity = await committerIdentity(git, repo);
    if (request.strategy === 'squash') {
      const message = `${request.workflowName} (Photon run ${request.runId})\n\nThe changes of the Photon run ${request.runId}, squashed.\n\nPhoton-Run: ${request.runId}`;
      after = await git.line(['commit-tree', tree, '-p', before, '-m', message], { cwd: repo, env: identity });
      how = `add one commit to ${into} holding all of the run's changes`;
    } else {
      const message = `Merge the Photon run ${request.runId} (${request.workflowName}) into ${into}\n\nPhoton-Run: ${request.runId}`;
      after = await git.line(['commit-tree', tree, '-p', before, '-p', result, '-m', message], { cwd: repo, env: identity });
      how = `add a merge commit to ${into} joining the run's result ${short(result)}`;
    }
  }
  if (holder !== null) await refuseOverUncommitted(git, holder, into, before, after);
  const where = holder === null ? `${into} is not checked out anywhere, so no working tree changes` : `${into} is checked out in ${holder}: its files are updated, and its uncommitted changes (to other files) are kept`;
  return { into, before, after, workingTree: holder, summary: `${how}; ${where}` };
}

/** Moves the branch as planned; fails, changing nothing, if it moved meanwhile. */
export async function applyMerge(git: Git, repo: string, plan: MergePlan, runId: string): Promise<void> {
  if (plan.after === plan.before) return;
  if (plan.workingTree === null) {
    try {
      await git.run(['update-ref', '-m', `photon: merge run ${runId}`, `refs/heads/${plan.into}`, plan.after, plan.before], { cwd: repo });
    } catch (error) {
      if (error instanceof GitFailure) throw new PhotonError('conflict', `${plan.into} moved while merging; nothing was changed, merge again`);
      throw error;
    }
    return;
  }
  try {
    await git.run(['merge', '--ff-only', '--quiet', plan.after], { cwd: plan.workingTree });
  } catch (error) {
    if (error instanceof GitFailure) {
      throw new PhotonError('conflict', `git refused to update ${plan.workingTree} (${error.message}); nothing was changed, fix that and merge again`);
    }
    throw error;
  }
}

async function targetBranch(git: Git, request: MergeRequest): Promise<string> {
  const { repo } = request;
  let into = request.into?.replace(/^refs\/heads\//, '');
  if (into === undefined) {
    const baseIsBranch = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${request.baseRef}`], { cwd: repo, okCodes: [1] });
    if (baseIsBranch.code !== 0) {
      throw new PhotonError('invalid', `the run's base "${request.baseRef}" is not a branch; name the branch to merge into (\`--into BRANCH\`)`);
    }
    into = request.baseRef;
  }
  const valid = await git.run(['check-ref-format', '--branch', into], { cwd: repo, okCodes: [1, 128] });
  if (valid.code !== 0) throw new PhotonError('invalid', `"${into}" is not a valid branch name; name a branch such as main`);
  if (into.startsWith(branchPrefix)) {
    throw new PhotonError('invalid', `${into} is one of Photon's own branches; merge into one of yours (e.g. the run's base, ${request.baseRef})`);
  }
  const exists = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${into}`], { cwd: repo, okCodes: [1] });
  if (exists.code !== 0) {
    throw new PhotonError('not_found', `branch ${into} does not exist in ${repo}; create it first (\`git -C ${quote(repo)} branch ${into} ${request.baseRef}\`) or name an existing branch`);
  }
  return into;
}

/** The working tree that has the branch checked out, or null. Photon's own worktrees never hold a user's branch. */
async function checkedOutIn(git: Git, repo: string, branch: string, ownFolder: string): Promise<string | null> {
  const holder = (await worktreesByBranch(git, repo)).get(branch);
  if (holder === undefined) return null;
  if (inside(holder, ownFolder)) {
    throw new PhotonError('conflict', `${branch} is checked out in ${holder}, one of Photon's worktrees; discard that run first (\`photon discard\`)`);
  }
  return holder;
}

async function mergedTree(git: Git, repo: string, ours: string, theirs: string, into: string, theirBranch: string): Promise<string> {
  const merged = await git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs], { cwd: repo, okCodes: [1] });
  const [tree = '', ...rest] = merged.stdout.split('\0');
  if (merged.code === 1) {
    const files = [...new Set(rest.filter(Boolean))].sort();
    throw new PhotonError(
      'conflict',
      `the run's result conflicts with ${into} in ${files.join(', ')}; nothing was changed. Merge it yourself (\`git merge ${theirBranch}\` in your checkout of ${into}) and resolve them, or start a new run from ${into}`,
      { files },
    );
  }
  return tree;
}

/**
 * Refuses when the merge would change a file that has uncommitted changes (staged, unstaged or
 * new) in the working tree holding the branch, or when that tree is in the middle of something.
 */
async function refuseOverUncommitted(git: Git, worktree: string, into: string, before: string, after: string): Promise<void> {
  const head = await git.line(['rev-parse', 'HEAD'], { cwd: worktree });
  if (head !== before) throw new PhotonError('conflict', `${into} moved while merging; nothing was changed, merge again`);
  for (const marker of ['MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'rebase-merge', 'rebase-apply']) {
    const path = await git.line(['rev-parse', '--git-path', marker], { cwd: worktree });
    if (existsSync(resolve(worktree, path))) {
      throw new PhotonError('conflict', `${worktree} is in the middle of a merge, rebase or cherry-pick; finish or abort it there, then merge again (nothing was changed)`);
    }
  }
  const touched = new Set((await git.run(['diff', '--name-only', '-z', '--no-renames', before, after], { cwd: worktree })).stdout.split('\0').filter(Boolean));
  const status = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], { cwd: worktree });
  const dirty = status.stdout
    .split('\0')
    .filter(Boolean)
    .map((entry) => entry.slice(3));
  const blocking = [...new Set(dirty.filter((path) => touched.has(path)))].sort();
  if (blocking.length > 0) {
    throw new PhotonError(
      'conflict',
      `${into} is checked out in ${worktree}, and the merge would change files that have uncommitted changes there: ${blocking.join(', ')}. ` +
        'Nothing was changed; commit or stash those changes, then merge again (or merge into a branch that is not checked out)',
      { files: blocking },
    );
  }
}

/** Who the commits Photon makes for the user are by: the user's git identity, read and never written; Photon's when git has none. */
export async function committerIdentity(git: Git, repo: string): Promise<Record<string, string>> {
  const read = async (key: string) => (await git.run(['config', '--get', key], { cwd: repo, okCodes: [1] })).stdout.trim();
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  if (name && email) return {};
  const who = { name: name || 'Photon', email: email || 'photon@localhost' };
  return { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
}

async function isAncestor(git: Git, repo: string, maybeAncestor: string, commit: string): Promise<boolean> {
  return (await git.run(['merge-base', '--is-ancestor', maybeAncestor, commit], { cwd: repo, okCodes: [1] })).code === 0;
}

function short(commit: string): string {
  return commit.slice(0, 12);
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
