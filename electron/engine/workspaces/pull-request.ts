/**
 * A pull request for a run's result: the result branch pushed to the repository's GitHub remote,
 * then `gh pr create`. Both are the user's own programs with the user's own credentials; when
 * either is missing the answer says what to install or add instead of failing halfway.
 */
import { execFile } from 'node:child_process';
import { PhotonError } from '../../../shared/errors.js';
import { GitFailure, type Git } from './git.js';

export interface PullRequestRequest {
  repo: string;
  runId: string;
  workflowName: string;
  /** The run's result branch (`photon/<runId>`). */
  head: string;
  /** The branch the pull request targets. */
  base: string;
  title: string;
  body: string;
  env: Readonly<Record<string, string>>;
}

export interface GitHubRemote {
  name: string;
  /** owner/name on GitHub. */
  slug: string;
}

/** The remote that points at GitHub (origin first), or null. */
export async function gitHubRemote(git: Git, repo: string): Promise<GitHubRemote | null> {
  const names = (await git.line(['remote'], { cwd: repo })).split('\n').filter(Boolean);
  names.sort((a, b) => (a === 'origin' ? -1 : b === 'origin' ? 1 : a.localeCompare(b)));
  for (const name of names) {
    // The URL as configured: `get-url` would apply url.insteadOf rewrites (mirrors, proxies) and hide GitHub.
    const url = (await git.run(['config', '--get', `remote.${name}.url`], { cwd: repo, okCodes: [1] })).stdout.trim();
    const slug = /github\.com[:/]+([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(url)?.[1];
    if (slug) return { name, slug };
  }
  return null;
}

/** Pushes the result branch and opens the pull request; answers its address. */
export async function openPullRequest(git: Git, request: PullRequestRequest): Promise<{ remote: string; url: string }> {
  const remote = await gitHubRemote(git, request.repo);
  if (!remote) {
    const names = (await git.line(['remote'], { cwd: request.repo })).split('\n').filter(Boolean);
    throw new PhotonError(
      'invalid',
      `${request.repo} has no GitHub remote (${names.length > 0 ? `its remotes: ${names.join(', ')}` : 'it has no remote'}), so Photon cannot open a pull request there; ` +
        `add one (\`git remote add origin git@github.com:OWNER/REPO.git\`), or push ${request.head} to your forge yourself and open it there`,
    );
  }
  // Installed and logged in before anything is pushed.
  await runGh(['auth', 'status', '--hostname', 'github.com'], request.repo, request.env);
  // Pushed under its own name: the pull request's head.
  try {
    await git.run(['push', '--quiet', remote.name, `refs/heads/${request.head}:refs/heads/${request.head}`], { cwd: request.repo });
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    const said = `${error.result.stderr}`;
    if (/\[rejected\]|non-fast-forward|fetch first/.test(said)) {
      throw new PhotonError(
        'conflict',
        `${remote.name} already has a branch ${request.head} with other commits, so the run's result was not pushed and no pull request was opened; ` +
          `delete that branch there (\`git push ${remote.name} --delete ${request.head}\`) if it is an old copy, then try again`,
      );
    }
    throw new PhotonError('unavailable', `could not push ${request.head} to ${remote.name} (${error.message}); check your access to it (\`git push ${remote.name} ${request.head}\` says more), then try again`);
  }
  const created = await runGh(
    ['pr', 'create', '--repo', remote.slug, '--head', request.head, '--base', request.base, '--title', request.title, '--body', request.body],
    request.repo,
    request.env,
  );
  const url = /https?:\/\/\S+/.exec(created)?.[0];
  if (!url) throw new PhotonError('internal', `gh created no pull request that Photon could see (it printed: ${created.trim().slice(0, 300)})`);
  return { remote: remote.name, url };
}

function runGh(args: string[], cwd: string, env: Readonly<Record<string, string>>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('gh', args, { cwd, env: { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolvePromise(stdout);
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new PhotonError('unavailable', 'the GitHub CLI (gh) is not installed or not on PATH; install it (https://cli.github.com), run `gh auth login`, then try again'));
        return;
      }
      const said = (stderr || stdout).trim().split('\n').slice(0, 4).join(' / ');
      const login = /auth login|not logged/i.test(said) ? '; run `gh auth login` first' : '';
      reject(new PhotonError('unavailable', `gh ${args[0]} ${args[1] ?? ''} failed: ${said}${login}`));
    });
  });
}
