/**
 * A step's worktree on a remote host: made in the host's clone of the repository from the step's
 * starting point (pushed there first, since it may exist only here: the run's base, a local
 * step's result, a merge Photon made), its result committed there and fetched back onto the
 * step's branch here, and the worktree and its branch removed from the host whatever the outcome.
 * git runs as the user's own program at both ends and moves the commits over its own ssh
 * transport, riding the host's shared connection. Review and merge then happen here as for a
 * local step, since the step's branch here holds its result.
 */
import { PhotonError } from '../../../shared/errors.js';
import type { Git } from './git.js';
import { branchExists } from './worktree.js';
import { changeStats, type CommitOutcome } from './step-commit.js';
import type { SetupScript } from './setup.js';
import type { RemoteClone } from './types.js';

export interface RemoteWorktree {
  /** The worktree's folder on the host. */
  path: string;
  /** The clone's top folder there, which git's URLs name. */
  top: string;
}

export interface RemoteWorktreeRequest {
  /** The local repository. */
  repo: string;
  runId: string;
  /** `step-N` or `step-N-attempt-K`, the same name as a local worktree's folder. */
  name: string;
  branch: string;
  /** The commit it starts at, and a result still to merge into it with its conflicts left to resolve. */
  commit: string;
  pendingMerge: { commit: string; message: string } | null;
  /** Worktrees of the step an interrupted attempt left there: removed first. */
  stale: readonly string[];
}

/** Where the clone is and where its worktrees go: under its git folder, out of the user's working tree and `git status`. */
const locate = [
  'set -e',
  'case "$1" in "~") cd ;; "~/"*) cd && cd "${1#"~/"}" ;; *) cd "$1" ;; esac',
  'top=$(git rev-parse --show-toplevel)',
  'common=$(cd "$(git rev-parse --git-common-dir)" && pwd)',
  'echo "top=$top"',
  'echo "common=$common"',
].join('\n');

/** Made from the branch pushed there; a result to merge was pushed to a ref of its own, dropped once merged. */
const add = [
  'set -e',
  'cd "$1"',
  'mkdir -p "$(dirname "$2")"',
  'git -c core.hooksPath=/dev/null worktree add --quiet "$2" "$3"',
  'if [ -n "$4" ]; then',
    // Conflicts are what the step is there to resolve: only a merge that did not even start fails.
'  git -C "$2" -c core.hooksPath=/dev/null merge --quiet --no-ff --no-commit -m "$5" "$4" >/dev/null 2>&1 || git -C "$2" rev-parse --verify --quiet MERGE_HEAD >/dev/null',
  '  git update-ref -d "$6"',
  'fi',
].join('\n');

/**
 * The attempt's changes as one commit on its branch there (as step-commit.ts makes it here): every
 * file but ignored ones, refused while a file it had to resolve keeps conflict markers; the
 * commit made is printed.
 */
const commit = [
  'set -e',
  'cd "$1"; branch=$2; message=$3; shift 3',
  'git add --all',
  'left=""',
  'for f in "$@"; do',
  '  [ -f "$f" ] && grep -q -E "^<{7}( |$)" "$f" && grep -q -E "^>{7}( |$)" "$f" && left="$left${left:+, }$f"',
  'done',
  'if [ -n "$left" ]; then echo "it left conflict markers in $left; resolve them (or run the step again)" >&2; exit 3; fi',
  'merging=0; git rev-parse --verify --quiet MERGE_HEAD >/dev/null && merging=1',
  'if ! git diff --cached --quiet HEAD || [ "$merging" = 1 ]; then',
  '  git -c core.hooksPath=/dev/null commit --quiet --no-verify --allow-empty -m "$message"',
  'fi',
  'head=$(git rev-parse HEAD)',
  // The tool may have switched branches in its worktree: the step's branch still gets its result.
  '[ "$(git symbolic-ref --quiet HEAD || true)" = "refs/heads/$branch" ] || git update-ref "refs/heads/$branch" "$head"',
  'echo "commit=$head"',
].join('\n');

/** Everything of the attempt's on the host: the worktree (files and git's record of it) and its branch there. */
const remove = [
  'cd "$1" || exit 0',
  '[ -d "$2" ] && git worktree remove --force --force "$2" >/dev/null 2>&1',
  'rm -rf "$2"',
  'git worktree prune',
  'git update-ref -d "refs/heads/$3" 2>/dev/null',
  'rmdir "$(dirname "$2")" 2>/dev/null',
  'rmdir "$(dirname "$(dirname "$2")")" 2>/dev/null',
  'exit 0',
].join('\n');

/** The setup script in the new worktree there: with its interpreter when it has a #! line, else as sh. */
const setupRunner = [
  'cd "$1" || exit 125',
  'case "$2" in',
  '  "#!"*) f=$(mktemp) || exit 125; printf "%s" "$2" > "$f"; chmod 700 "$f"; "$f" </dev/null 2>&1; c=$?; rm -f "$f"; exit $c ;;',
  '  *) exec /bin/sh -c "$2" photon-setup </dev/null 2>&1 ;;',
  'esac',
].join('\n');

/**
 * The clone's top folder and where a run's worktrees go there; a path that is no clone is refused
 * naming the fix. Asked once per shared connection (clone.found): what moved since shows as the
 * failure of what uses it, and is looked for again (makeRemoteWorktree).
 */
export async function locateClone(clone: RemoteClone): Promise<{ top: string; common: string }> {
  if (clone.found.location) return clone.found.location;
  const found = await clone.sh(locate, [clone.path]);
  const top = /^top=(.*)$/m.exec(found.stdout)?.[1];
  const common = /^common=(.*)$/m.exec(found.stdout)?.[1];
  if (found.code !== 0 || !top || !common) {
    throw new PhotonError(
      'invalid',
      `${clone.where}: ${clone.path} is not a clone of the repository (${lastLine(found.stderr) || `exit code ${found.code}`}); clone it there (git clone URL ${clone.path}) or set the host's repository path to the clone`,
    );
  }
  clone.found.location = { top, common };
  return { top, common };
}

/**
 * Makes the worktree on the host; whole or not at all (a failure leaves nothing there). Where the
 * clone is was perhaps found earlier over this connection: a failure then looks for it again and
 * tries once more, so a clone moved or removed since fails as it would have at first.
 */
export async function makeRemoteWorktree(git: Git, clone: RemoteClone, request: RemoteWorktreeRequest): Promise<RemoteWorktree> {
  const known = clone.found.location !== undefined;
  try {
    return await makeAt(git, clone, request, await locateClone(clone));
  } catch (error) {
    clone.found.location = undefined;
    if (!known) throw error;
    return makeAt(git, clone, request, await locateClone(clone));
  }
}

async function makeAt(git: Git, clone: RemoteClone, request: RemoteWorktreeRequest, { top, common }: { top: string; common: string }): Promise<RemoteWorktree> {
  for (const stale of request.stale) await removeRemoteWorktree(clone, { path: stale, top }, request.branch);
  const path = `${common}/photon-worktrees/${request.runId}/${request.name}`;
  const mergeRef = `refs/photon-merge/${request.runId}-${request.name}`;
  try {
    // Forced: a branch of that name there can only be what an interrupted attempt left.
    const refspecs = [`+${request.commit}:refs/heads/${request.branch}`, ...(request.pendingMerge ? [`+${request.pendingMerge.commit}:${mergeRef}`] : [])];
    await transfer(git, clone, request.repo, ['push', '--quiet', '--no-verify', clone.url(top), ...refspecs], 'send the step\'s starting point to');
    const made = await clone.sh(add, [top, path, request.branch, request.pendingMerge?.commit ?? '', request.pendingMerge?.message ?? '', mergeRef]);
    if (made.code !== 0) throw new PhotonError('unavailable', `${clone.where}: could not make the step's worktree in ${top}: ${lastLine(made.stderr) || `exit code ${made.code}`}`);
    return { path, top };
  } catch (error) {
    await removeRemoteWorktree(clone, { path, top }, request.branch);
    await clone.sh('cd "$1" && git update-ref -d "$2"', [top, mergeRef]).catch(() => undefined);
    throw error;
  }
}

/**
 * A succeeded attempt's result: committed on the host, fetched onto the step's branch here, its
 * changes counted here. The worktree stays; removeRemoteWorktree lets it go.
 */
export async function commitRemoteWorktree(
  git: Git,
  clone: RemoteClone,
  worktree: RemoteWorktree,
  request: { repo: string; branch: string; start: string; message: string; identity: Readonly<Record<string, string>>; conflicts: readonly string[] },
): Promise<CommitOutcome> {
  const made = await clone.sh(commit, [worktree.path, request.branch, request.message, ...request.conflicts], request.identity);
  const head = /^commit=([0-9a-f]{40,64})$/m.exec(made.stdout)?.[1];
  if (made.code !== 0 || !head) throw new Error(`${clone.where}: ${lastLine(made.stderr) || `git exited with code ${made.code}`}`);
  await transfer(git, clone, request.repo, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', clone.url(worktree.top), `+refs/heads/${request.branch}:refs/heads/${request.branch}`], 'fetch the step\'s result from');
  const here = await git.line(['rev-parse', '--verify', `refs/heads/${request.branch}^{commit}`], { cwd: request.repo });
  if (here !== head) throw new Error(`${clone.where}: the step's branch moved there while its result was fetched (${head.slice(0, 12)} committed, ${here.slice(0, 12)} fetched); run the step again`);
  return { commit: head, changed: head !== request.start, changes: await changeStats(git, request.repo, request.start, head) };
}

/** Removes the attempt's worktree and branch from the host; false when the host could not be asked. */
export async function removeRemoteWorktree(clone: RemoteClone, worktree: RemoteWorktree, branch: string): Promise<boolean> {
  try {
    return (await clone.sh(remove, [worktree.top, worktree.path, branch])).code === 0;
  } catch {
    return false;
  }
}

/**
 * Runs the trusted setup script (the exact text that was hashed) in the step's worktree on the
 * host, as setup.ts does here; a failure names the script and ends with what it printed.
 */
export async function runRemoteSetup(clone: RemoteClone, script: SetupScript, worktree: RemoteWorktree, env: Readonly<Record<string, string>>): Promise<void> {
  const ran = await clone.sh(setupRunner, [worktree.path, script.text], env);
  if (ran.code === 0) return;
  const tail = `${ran.stdout}\n${ran.stderr}`.trim().split('\n').slice(-5).join(' / ');
  throw new PhotonError('invalid', `the setup script ${script.location} failed (exit ${ran.code ?? 'none'}) on ${clone.where} in ${worktree.path}${tail ? `: ${tail}` : ''}. Fix the script (and trust it again), then retry the step`);
}

/** The step's branch here, at its starting point (as a local worktree's is made): refused when it is someone else's. */
export async function setLocalBranch(git: Git, repo: string, branch: string, commit: string, branchIsOurs: boolean): Promise<boolean> {
  const exists = await branchExists(git, repo, branch);
  if (exists && !branchIsOurs) {
    throw new PhotonError('conflict', `branch ${branch} already exists in ${repo} and Photon did not make it for this run; rename or delete that branch, then run again`);
  }
  await git.run(['branch', '--force', '--no-track', branch, commit], { cwd: repo });
  return !exists;
}

async function transfer(git: Git, clone: RemoteClone, repo: string, args: string[], what: string): Promise<void> {
  try {
    await git.run(args, { cwd: repo, env: clone.gitEnv });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PhotonError('unavailable', `${clone.where}: could not ${what} its clone ${clone.path}: ${detail}`);
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
