/**
 * A pull request for a run's result: the result branch really pushed with git (to a local bare
 * repository standing in for GitHub, through git's url.insteadOf), then `gh pr create`. gh needs
 * GitHub's network, so a stand-in records its arguments and prints what gh prints: the address.
 * Without a GitHub remote, or without gh, the answer says so and nothing is pushed.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, useSandbox } from '../helpers.js';
import { git } from './git-repo.js';
import { sandboxRepo, twoStepRun } from './ws-run.js';

const tools = makeTempDir('ws-gh');
afterAll(() => removeDir(tools));
const fakeBin = join(tools, 'bin');
const ghLog = join(tools, 'gh-args.txt');
mkdirSync(fakeBin);
writeFileSync(
  join(fakeBin, 'gh'),
  `#!/bin/sh
case "$1 $2" in
  "auth status") exit 0 ;;
  "pr create") printf '%s\\n' "$@" > "${ghLog}"; echo "https://github.com/acme/app/pull/7" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`,
);
chmodSync(join(fakeBin, 'gh'), 0o755);

/** A GitHub remote whose pushes land in a local bare repository. */
function gitHubRemote(repo: string): string {
  const bare = join(tools, `remote-${Date.now()}.git`);
  git(tools, 'init', '--quiet', '--bare', bare);
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
  git(repo, 'config', `url.${bare}.insteadOf`, 'https://github.com/acme/app.git');
  return bare;
}

describe('workspaces.pullRequest with gh installed', () => {
  const sandbox = useSandbox('ws-pr', { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` } });

  it('pushes the result branch to the GitHub remote and opens the pull request against the base', async () => {
    const repo = sandboxRepo(sandbox);
    const bare = gitHubRemote(repo);
    const detail = await twoStepRun(sandbox);
    const opened = await sandbox.engine.call('workspaces.pullRequest', { runId: detail.runId });
    expect(opened).toEqual({ runId: detail.runId, remote: 'origin', head: `photon/${detail.runId}`, base: 'main', url: 'https://github.com/acme/app/pull/7' });
    expect(git(bare, 'rev-parse', `refs/heads/photon/${detail.runId}`)).toBe(detail.workspace!.resultCommit);
    const args = readFileSync(ghLog, 'utf8').split('\n');
    expect(args.slice(0, 10)).toEqual(['pr', 'create', '--repo', 'acme/app', '--head', `photon/${detail.runId}`, '--base', 'main', '--title', `review (Photon run ${detail.runId})`]);
    // The local branch stays: the pull request is about it.
    expect(git(repo, 'rev-parse', `photon/${detail.runId}`)).toBe(detail.workspace!.resultCommit);
  });

  it('refuses, opening nothing, when the remote already has a different branch of that name', async () => {
    const repo = sandboxRepo(sandbox);
    const bare = gitHubRemote(repo);
    const detail = await twoStepRun(sandbox);
    // Someone pushed other work under the run's branch name.
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'other work');
    git(repo, 'push', '--quiet', bare, `main:refs/heads/photon/${detail.runId}`);
    writeFileSync(ghLog, '');
    await expect(sandbox.engine.call('workspaces.pullRequest', { runId: detail.runId })).rejects.toThrow(
      new RegExp(`origin already has a branch photon/${detail.runId} with other commits, so the run's result was not pushed and no pull request was opened; delete that branch there \\(\`git push origin --delete photon/${detail.runId}\`\\)`),
    );
    expect(git(bare, 'rev-parse', `refs/heads/photon/${detail.runId}`)).toBe(git(repo, 'rev-parse', 'main'));
    expect(readFileSync(ghLog, 'utf8')).toBe('');
  });

  it('says so when the repository has no GitHub remote, pushing nothing', async () => {
    const repo = sandboxRepo(sandbox);
    git(repo, 'remote', 'add', 'origin', 'git@gitlab.com:acme/app.git');
    const detail = await twoStepRun(sandbox);
    await expect(sandbox.engine.call('workspaces.pullRequest', { runId: detail.runId })).rejects.toThrow(
      /has no GitHub remote \(its remotes: origin\), so Photon cannot open a pull request there; add one \(`git remote add origin git@github\.com:OWNER\/REPO\.git`\)/,
    );
  });
});

describe('workspaces.pullRequest without gh', () => {
  const sandbox = useSandbox('ws-pr-no-gh', { env: { ...process.env, PATH: '/usr/bin:/bin' } });

  it('names gh and how to install it, and pushes nothing', async () => {
    const repo = sandboxRepo(sandbox);
    const bare = gitHubRemote(repo);
    const detail = await twoStepRun(sandbox);
    await expect(sandbox.engine.call('workspaces.pullRequest', { runId: detail.runId })).rejects.toThrow(/the GitHub CLI \(gh\) is not installed or not on PATH; install it \(https:\/\/cli\.github\.com\)/);
    expect(git(bare, 'for-each-ref')).toBe('');
  });
});
