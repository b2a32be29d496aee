/**
 * git, run as the user's own program. Output is read in the C locale so its messages can be
 * recognised; the repository's hooks never run for what Photon does (a repository's files are not
 * trusted, and an agent's commit must not wait on the user's pre-commit checks); nothing here
 * changes the user's config.
 */
import { execFile } from 'node:child_process';
import { PhotonError } from '../../../shared/errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  cwd: string;
  /** Exit codes that are answers, not failures (e.g. 1 for `merge-tree` with conflicts). */
  okCodes?: readonly number[];
  /** Stops git and the gits it started (SIGTERM to its group, which git cleans up after) when aborted. */
  signal?: AbortSignal;
  env?: Readonly<Record<string, string>>;
}

/** Settings for this call only: no hooks, no pager, no background maintenance started in the user's repository. */
const callConfig = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.pager=cat', '-c', 'maintenance.auto=false', '-c', 'gc.auto=0'];

export class GitFailure extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args[0] ?? ''} failed (exit ${result.code}): ${firstLines(result.stderr || result.stdout)}`);
  }
}

/** git in the engine's environment (its PATH finds the user's git), with English messages and no prompt for credentials. */
export class Git {
  constructor(private readonly env: Readonly<Record<string, string>>) {}

  run(args: readonly string[], options: GitOptions): Promise<GitResult> {
    return runGit(args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** git's output without its last newline. */
  async line(args: readonly string[], options: GitOptions): Promise<string> {
    return (await this.run(args, options)).stdout.trim();
  }

  /** Whether git answers 0 (e.g. `rev-parse --verify`); a missing git still throws. */
  async succeeds(args: readonly string[], cwd: string): Promise<boolean> {
    try {
      await this.run(args, { cwd });
      return true;
    } catch (error) {
      if (error instanceof GitFailure) return false;
      throw error;
    }
  }
}

function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const stopGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    const child = execFile(
      'git',
      [...callConfig, ...args],
      {
        cwd: options.cwd,
        env: { ...options.env, LC_ALL: 'C', LANGUAGE: '', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
        // A stoppable git gets a process group of its own, stopped whole: `worktree add` checks out
        // through a child git, which a SIGTERM to the parent alone leaves writing files into the
        // folder the parent is removing (seen as ENOTEMPTY and a half-made worktree after close).
        ...(options.signal ? { detached: true } : {}),
      },
      (error, stdout, stderr) => {
        options.signal?.removeEventListener('abort', stopGroup);
        if (options.signal?.aborted) {
          reject(new Error(`git ${args[0] ?? ''} was stopped`));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (error && code === null) {
          reject(spawnProblem(error, options.cwd));
          return;
        }
        const result = { stdout, stderr, code: code ?? 0 };
        if (result.code === 0 || options.okCodes?.includes(result.code)) resolvePromise(result);
        else reject(explain(new GitFailure(args, result), options.cwd));
      },
    );
    if (options.signal?.aborted) stopGroup();
    else options.signal?.addEventListener('abort', stopGroup, { once: true });
  });
}

/**
 * git reads every worktree's record while it adds, moves or lists one; a record another git is
 * making at that moment is half-written, and the reader dies ("failed to read
 * .git/worktrees/step-2/commondir"). Two steps of a run starting together hit it: the caller
 * cleans up and tries again.
 */
export function isWorktreeRace(error: unknown): boolean {
  return error instanceof GitFailure && /worktrees\/[^/\s]+\/(commondir|gitdir|HEAD)\b/.test(error.result.stderr);
}

/** Runs `work` again (up to 4 times in all, a little later each time) while it fails on that race. */
export async function retryWorktreeRace<T>(work: (retried: boolean) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt > 1);
    } catch (error) {
      if (!isWorktreeRace(error) || attempt >= 4) throw error;
      await new Promise((resolveWait) => setTimeout(resolveWait, 20 * attempt + Math.random() * 30));
    }
  }
}

function spawnProblem(error: { code?: string | number | null; message: string }, cwd: string): Error {
  if (error.code === 'ENOENT') {
    return new PhotonError('unavailable', 'git is not installed or not on PATH; install git (2.38 or later) and start Photon again to use workspaces');
  }
  if (error.code === 'ENOSPC') return new PhotonError('unavailable', `no space left on the disk while running git in ${cwd}; free some space and try again`);
  return new PhotonError('internal', `could not run git in ${cwd}: ${error.message}`);
}

/** git's well-known failures in words that name the fix; others keep git's own message. */
function explain(failure: GitFailure, cwd: string): Error {
  const text = `${failure.result.stderr}\n${failure.result.stdout}`;
  const lock = /Unable to create '([^']+\.lock)': File exists/.exec(text);
  if (lock) {
    return new PhotonError(
      'conflict',
      `another git process is using the repository (${lock[1]} exists); wait for it to finish, or delete that file if no git is running, then try again`,
    );
  }
  if (/No space left on device/i.test(text)) {
    return new PhotonError('unavailable', `no space left on the disk while running git in ${cwd}; free some space and try again`);
  }
  return failure;
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 4).join(' / ');
}
