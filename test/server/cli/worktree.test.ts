import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photon, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

/** A repository on main with one commit, and on a second branch another; the workflow file sits in it, untracked. */
function repoWithWorkflow(name: string): { repo: string; file: string } {
  const repo = join(temp.dir, name);
  execFileSync('mkdir', ['-p', repo]);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'config', 'user.name', 'Test User');
  git(repo, 'config', 'user.email', 'user@example.com');
  writeFileSync(join(repo, 'readme.txt'), 'main\n');
  git(repo, 'add', 'readme.txt');
  git(repo, 'commit', '--quiet', '-m', 'main');
  git(repo, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(repo, 'readme.txt'), 'feature\n');
  git(repo, 'commit', '--quiet', '-am', 'feature');
  git(repo, 'checkout', '--quiet', 'main');
  const file = join(repo, 'workflow.json');
  writeFileSync(file, JSON.stringify({ name: 'Isolated', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'cat readme.txt; echo done > done.txt' } }] }));
  return { repo, file };
}

describe('photon run --worktree', () => {
  it('runs each step in a worktree of the repository the file is in, from --base, and leaves the result on photon/RUN', async () => {
    const { repo, file } = repoWithWorkflow('repo-a');
    const result = await photon(['run', file, '--worktree', '--base', 'feature', '--data-dir', temp.dataDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const runId = /run (\w+) started/.exec(result.stdout)![1]!;
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^Result: branch photon/${runId} \\(1 file, \\+1 -0\\) in .*repo-a; review it with photon diff ${runId} --data-dir \\S+, land it with photon merge ${runId} --data-dir \\S+$`),
    );
    expect(git(repo, 'show', `photon/${runId}:readme.txt`)).toBe('feature');
    expect(git(repo, 'show', `photon/${runId}:done.txt`)).toBe('done');
    expect(git(repo, 'rev-parse', `photon/${runId}~1`)).toBe(git(repo, 'rev-parse', 'feature'));
    // The user's checkout is as it was: main, with only the untracked workflow file.
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'status', '--porcelain')).toBe('?? workflow.json');
  });

  it('refuses a base that does not exist, naming it, exit 2, and --base without --worktree', async () => {
    const { file } = repoWithWorkflow('repo-b');
    const missing = await photon(['run', file, '--worktree', '--base', 'nope', '--data-dir', temp.dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^photon run: workspace\.base: "nope" is not a branch, tag or commit in .*repo-b; `git branch -a`/);
    const alone = await photon(['run', file, '--base', 'main', '--data-dir', temp.dataDir]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe('photon run: --base goes with --worktree: `photon run FILE --worktree --base REF`\n');
  });
});
