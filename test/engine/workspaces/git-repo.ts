/**
 * Real git repositories for the workspace tests, made in a temporary folder with the user's own
 * git, and the questions the tests ask of them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** No global or system config from this machine: the test's repository is all there is. */
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The ten lines every test edits: "line 1" .. "line 10". */
export const tenLines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

/** A repository on `main` with the files given committed, and an identity of its own. */
export function makeRepo(folder: string, files: Record<string, string> = { 'notes.txt': tenLines }): string {
  mkdirSync(folder, { recursive: true });
  git(folder, 'init', '--quiet', '--initial-branch=main');
  git(folder, 'config', 'user.name', 'Test User');
  git(folder, 'config', 'user.email', 'user@example.com');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  git(folder, 'add', '--all');
  git(folder, 'commit', '--quiet', '-m', 'start');
  return folder;
}

/** Branches under photon/, sorted. */
export function photonBranches(repo: string): string[] {
  const out = git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/photon/');
  return out ? out.split('\n').sort() : [];
}

/** The parents of a commit. */
export function parentsOf(repo: string, commit: string): string[] {
  return git(repo, 'rev-list', '--parents', '-n', '1', commit).split(' ').slice(1);
}
