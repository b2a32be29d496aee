/**
 * Two gits in one repository at once: while one writes a worktree's record, another that reads
 * every record (adding, moving or listing a worktree) dies on the half-written one ("failed to read
 * .git/worktrees/X/commondir"). Seen when a run's parallel steps made their worktrees together;
 * made here with a real half-written record that the other git "finishes" after the first failure.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Git, GitFailure, type GitOptions, type GitResult } from '../../../electron/engine/workspaces/index.js';
import { addWorktree } from '../../../electron/engine/workspaces/worktree.js';
import { makeTempDir, removeDir } from '../helpers.js';
import { git, makeRepo, photonBranches } from './git-repo.js';

/** git as Photon runs it; the other git finishes its record once a git of ours has failed on it. */
class RacingGit extends Git {
  failures: string[] = [];
  constructor(private readonly halfRecord: string) {
    super({ ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } as Record<string, string>);
  }

  override async run(args: readonly string[], options: GitOptions): Promise<GitResult> {
    try {
      return await super.run(args, options);
    } catch (error) {
      if (error instanceof GitFailure && existsSync(this.halfRecord)) {
        this.failures.push(error.result.stderr.trim());
        rmSync(this.halfRecord, { recursive: true, force: true });
      }
      throw error;
    }
  }
}

let root = '';
beforeEach(() => (root = makeTempDir('ws-race')));
afterEach(() => removeDir(root));

describe('a worktree record another git is writing', () => {
  it('makes the step’s worktree fail once, and Photon tries again: worktree and branch made, nothing left of the failed try', async () => {
    const repo = makeRepo(join(root, 'repo'));
    const half = join(repo, '.git', 'worktrees', 'other-step');
    mkdirSync(half, { recursive: true });
    writeFileSync(join(half, 'gitdir'), `${join(root, 'elsewhere', '.git')}\n`);
    writeFileSync(join(half, 'commondir'), '');
    const racing = new RacingGit(half);
    const path = join(root, 'data', 'worktrees', 'run', 'step-1');
    await addWorktree(racing, { repo, path, branch: 'photon/run-step-1', commit: git(repo, 'rev-parse', 'HEAD'), branchIsOurs: false }, join(root, 'data', 'worktrees', 'run'));
    expect(racing.failures).toEqual(['fatal: failed to read .git/worktrees/other-step/commondir: Success']);
    expect(git(path, 'symbolic-ref', '--short', 'HEAD')).toBe('photon/run-step-1');
    expect(photonBranches(repo)).toEqual(['photon/run-step-1']);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });
});
