/**
 * The branches a run's result may be merged into, for the app's target chooser: the repository's
 * local branches except Photon's own (`photon/...`, which merge refuses), and the one checked out
 * in the repository's main working tree.
 */
import type { MergeTargets } from '../../../shared/workspace-review.js';
import type { Git } from './git.js';
import { branchPrefix } from './names.js';

export async function mergeTargets(git: Git, repo: string): Promise<MergeTargets> {
  const refs = await git.run(['for-each-ref', '--format=%(refname:short)', 'refs/heads/'], { cwd: repo });
  const branches = refs.stdout
    .split('\n')
    .filter((name) => name !== '' && !name.startsWith(branchPrefix))
    .sort();
  // Exit 1 with nothing printed: a detached HEAD has no branch.
  const head = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, okCodes: [1] });
  const current = head.code === 0 ? head.stdout.trim() : null;
  return { repo, branches, current: current && branches.includes(current) ? current : null };
}
