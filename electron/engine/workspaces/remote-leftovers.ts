/**
 * Photon's own leftovers in a host's clone, removed once the host answers again: a worktree whose
 * removal the host did not answer (it stopped answering right after a step's result was fetched,
 * or while a failed attempt was cleaned up), its branch, and the ref of a merge pushed there.
 * Only what Photon made is looked at (worktrees under the clone's `.git/photon-worktrees/`,
 * branches under `photon/`, refs under `refs/photon-merge/`), and of that only what this
 * database records on this host with its attempt over and its run not running: the user's own
 * worktrees and branches, and another Photon's, are never touched. What cannot be removed now
 * is found again the next time.
 */
import type { StepWorkspaceRow, WorkspacesRepository } from '../storage/index.js';
import { branchPrefix } from './names.js';
import { locateClone } from './remote-worktree.js';
import type { RemoteClone } from './types.js';
import { remoteLocation } from './worktree-folders.js';

/** What a look at a host's clone removed, and what it found to remove but could not. */
export interface RemoteLeftovers {
  removed: string[];
  left: string[];
}

/** Photon's worktree folders (also those git forgot) and refs there. */
const list = [
  'cd "$1" || exit 1',
  'for d in "$2"/photon-worktrees/*/*; do if [ -d "$d" ]; then echo "worktree=$d"; fi; done',
  `git for-each-ref --format='ref=%(refname)' refs/heads/${branchPrefix} refs/photon-merge/`,
].join('\n');

/**
 * Worktrees first, so a branch is free; a branch still checked out in a worktree that stays is
 * kept (git would leave that worktree without its branch). Prints what is still there.
 */
const remove = [
  'cd "$1" || exit 1',
  'common=$2; shift 2',
  'for arg; do',
  '  case "$arg" in worktree=*)',
  '    p=${arg#worktree=}',
  '    git worktree remove --force --force "$p" >/dev/null 2>&1',
  '    rm -rf "$p"',
  '    rmdir "$(dirname "$p")" 2>/dev/null',
  '  ;; esac',
  'done',
  'git worktree prune',
  'checked=$(git worktree list --porcelain)',
  'for arg; do',
  '  case "$arg" in ref=*)',
  '    r=${arg#ref=}',
  '    printf "%s\\n" "$checked" | grep -qxF "branch $r" || git update-ref -d "$r" 2>/dev/null',
  '  ;; esac',
  'done',
  'rmdir "$common/photon-worktrees" 2>/dev/null',
  'for arg; do',
  '  case "$arg" in',
  '    worktree=*) [ -e "${arg#worktree=}" ] && echo "left=$arg" ;;',
  '    ref=*) git rev-parse --verify --quiet "${arg#ref=}" >/dev/null && echo "left=$arg" ;;',
  '  esac',
  'done',
  'exit 0',
].join('\n');

/**
 * Removes Photon's finished leftovers from the host's clone. `runLive` says whether a run is
 * queued or running (its attempts' worktrees and branches are being made and used). Throws when
 * the host could not be asked.
 */
export async function removeRemoteLeftovers(clone: RemoteClone, repo: WorkspacesRepository, runLive: (runId: string) => boolean): Promise<RemoteLeftovers> {
  const { top, common } = await locateClone(clone);
  const listed = await clone.sh(list, [top, common]);
  if (listed.code !== 0) throw new Error(`${clone.where}: could not list Photon's worktrees in ${top}: ${listed.stderr.trim() || `exit code ${listed.code}`}`);
  const folder = `${common}/photon-worktrees/`;
  const runs = new Map<string, StepWorkspaceRow[]>();
  /** A run's attempts on this host, none while it runs. */
  const rowsOf = (runId: string): StepWorkspaceRow[] => {
    let rows = runs.get(runId);
    if (!rows) {
      rows = runLive(runId) ? [] : repo.stepWorkspaces(runId).filter((row) => remoteLocation(row.path)?.host === clone.host);
      runs.set(runId, rows);
    }
    return rows;
  };
  const finishedAt = (runId: string, name: string): StepWorkspaceRow | undefined => {
    const row = rowsOf(runId).find((r) => r.path === `${clone.host}:${folder}${runId}/${name}`);
    return row && row.state !== 'active' ? row : undefined;
  };
  const targets: string[] = [];
  const rowsSwept = new Map<string, StepWorkspaceRow>();
  for (const line of listed.stdout.split('\n')) {
    const worktree = /^worktree=(.*)$/.exec(line)?.[1];
    if (worktree !== undefined) {
      const parts = worktree.startsWith(folder) ? worktree.slice(folder.length).split('/') : [];
      const row = parts.length === 2 ? finishedAt(parts[0]!, parts[1]!) : undefined;
      if (row) {
        targets.push(`worktree=${worktree}`);
        rowsSwept.set(`worktree=${worktree}`, row);
      }
      continue;
    }
    const ref = /^ref=(.*)$/.exec(line)?.[1];
    const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    const step = branch && /^photon\/(.+)-step-(\d+)$/.exec(branch);
    if (step) {
      // The step's branch there serves every attempt of the step: it goes once none is under way.
      const attempts = rowsOf(step[1]!).filter((row) => row.step === Number(step[2]) && row.branch === branch);
      if (attempts.length > 0 && attempts.every((row) => row.state !== 'active')) targets.push(`ref=${ref}`);
      continue;
    }
    const merge = ref && /^refs\/photon-merge\/(.+)-(step-\d+(?:-attempt-\d+)?)$/.exec(ref);
    if (merge && finishedAt(merge[1]!, merge[2]!)) targets.push(`ref=${ref}`);
  }
  if (targets.length === 0) return { removed: [], left: [] };
  const removed = await clone.sh(remove, [top, common, ...targets]);
  if (removed.code !== 0) throw new Error(`${clone.where}: could not remove Photon's leftovers in ${top}: ${removed.stderr.trim() || `exit code ${removed.code}`}`);
  const left = new Set([...removed.stdout.matchAll(/^left=(.*)$/gm)].map((match) => match[1]!));
  for (const [target, row] of rowsSwept) {
    // A failed attempt's worktree the host kept is gone now, as the step's record says from here on.
    if (!left.has(target) && row.state === 'kept') repo.setStepWorkspaceState(row.runId, row.step, row.attempt, 'removed');
  }
  const named = (target: string) => target.replace(/^(worktree|ref)=/, '');
  return { removed: targets.filter((target) => !left.has(target)).map(named), left: [...left].map(named) };
}
