/**
 * A setup script run in each new worktree (copy `.env`, install dependencies): the workflow's
 * `workspace.setup`, else the repository's `.photon/setup` at the worktree's starting commit. A
 * repository's files are not trusted by default — repo-level config that runs code before consent
 * has been a real vulnerability class in agent CLIs — so a script runs only once the user trusted
 * it, pinned to its repository and the sha256 of its text: a changed script is asked about again.
 * What runs is exactly the text that was hashed (read from git's object store, not from the
 * worktree, which the step could have changed).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { SetupScriptInfo } from '../../../shared/workspace-review.js';
import type { WorkspaceRecordsRepository } from '../storage/index.js';
import type { Git } from './git.js';

/** Where a repository keeps its setup script. */
export const repoSetupPath = '.photon/setup';

export type SetupScript = Omit<SetupScriptInfo, 'trusted'>;

export interface SetupRun {
  worktree: string;
  /** The engine's environment with PHOTON_WORKTREE, PHOTON_BRANCH, PHOTON_PORT_BASE and PHOTON_REPO. */
  env: Record<string, string>;
  /** Where its output is kept (beside the worktree, never in it: it would be committed). */
  log: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The setup script for a worktree starting at `commit`, or null when there is none. */
export async function findSetupScript(git: Git, repo: string, commit: string, workflowSetup: string | undefined): Promise<SetupScript | null> {
  if (workflowSetup !== undefined && workflowSetup.trim() !== '') {
    return { repo, source: 'workflow', location: 'workspace.setup of the workflow', sha256: sha256(workflowSetup), text: workflowSetup };
  }
  const entry = await git.run(['ls-tree', '-z', commit, '--', repoSetupPath], { cwd: repo });
  const match = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(entry.stdout);
  if (!match) return null;
  const location = join(repo, repoSetupPath);
  if (match[2] !== 'blob' || match[1] === '120000') {
    throw new PhotonError('invalid', `${location} is not a regular file (a link or a folder); make it a file holding the script, or remove it`);
  }
  const text = (await git.run(['cat-file', 'blob', match[3]!], { cwd: repo })).stdout;
  return { repo, source: 'repo', location, sha256: sha256(text), text, ...(await lastChangedByStep(git, repo, commit)) };
}

/** Whether the commit that last changed the script is a step's (its message carries Photon's trailers). */
async function lastChangedByStep(git: Git, repo: string, commit: string): Promise<Pick<SetupScript, 'changedBy'>> {
  const last = await git.run(['log', '-1', '--format=%H%n%B', commit, '--', repoSetupPath], { cwd: repo });
  const [hash = '', ...body] = last.stdout.split('\n');
  const text = body.join('\n');
  const runId = /^Photon-Run: (\S+)$/m.exec(text)?.[1];
  const step = /^Photon-Step: (\d+)$/m.exec(text)?.[1];
  return runId && step ? { changedBy: { runId, step: Number(step), commit: hash } } : {};
}

/** The trusted scripts, and a check that says how to trust one. */
export class SetupTrust {
  constructor(private readonly records: WorkspaceRecordsRepository) {}

  isTrusted(script: SetupScript): boolean {
    return this.records.isSetupTrusted(script.repo, script.sha256);
  }

  trust(script: Pick<SetupScript, 'repo' | 'sha256' | 'source' | 'location'>): void {
    this.records.trustSetup({ repo: script.repo, sha256: script.sha256, source: script.source, location: script.location, trustedAt: new Date().toISOString() });
  }

  /** Refuses an untrusted script with its place, its hash and how to trust it. */
  require(script: SetupScript): void {
    if (this.isTrusted(script)) return;
    const by = script.changedBy;
    if (by) {
      // An agent rewrote the script: say so, and that trusting the repository's own does not cover it.
      throw new PhotonError(
        'unauthorized',
        `the setup script ${script.location} was changed by step ${by.step} of run ${by.runId} (commit ${by.commit.slice(0, 12)}; sha256 ${script.sha256}), ` +
          `so it is not one you trusted and it did not run; the step did not start. Review the change (\`git -C ${script.repo} show ${by.commit.slice(0, 12)} -- ${repoSetupPath}\`); ` +
          `keep such changes out of .photon/setup, or trust that version once it is merged`,
        { setup: { repo: script.repo, sha256: script.sha256, source: script.source, location: script.location, changedBy: by } },
      );
    }
    throw new PhotonError(
      'unauthorized',
      `the setup script ${script.location} (sha256 ${script.sha256}) is not trusted yet, so it did not run and the step did not start. ` +
        `Read it, then trust it: \`photon run FILE --trust-setup\` (the app: workspaces.trustSetup). A changed script must be trusted again`,
      { setup: { repo: script.repo, sha256: script.sha256, source: script.source, location: script.location } },
    );
  }
}

/** Longest a setup script may run before it is stopped (installing dependencies can take minutes). */
export const setupTimeoutMs = 15 * 60_000;

/** Runs the script in the new worktree; fails with its exit code and last lines of output. */
export async function runSetupScript(script: SetupScript, run: SetupRun, timeoutMs = setupTimeoutMs): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'photon-setup-'));
  const file = join(scratch, 'setup');
  try {
    await writeFile(file, script.text, { mode: 0o700 });
    await chmod(file, 0o700);
    // A script with a #! line runs with its interpreter; any other as sh.
    const [command, args] = script.text.startsWith('#!') ? [file, []] : ['/bin/sh', [file]];
    const outcome = await spawnLogged(command, args, run, timeoutMs);
    if (outcome.code !== 0) {
      const why = outcome.timedOut ? `did not finish within ${Math.round(timeoutMs / 60_000)} minutes and was stopped` : outcome.code === null ? `was killed (${outcome.signal})` : `failed (exit ${outcome.code})`;
      const tail = outcome.tail.trim().split('\n').slice(-5).join(' / ');
      throw new PhotonError('invalid', `the setup script ${script.location} ${why} in ${run.worktree}${tail ? `: ${tail}` : ''}; its output is in ${run.log}. Fix the script (and trust it again), then retry the step`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  tail: string;
}

function spawnLogged(command: string, args: string[], run: SetupRun, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolvePromise, reject) => {
    const log = createWriteStream(run.log, { mode: 0o600 });
    // Its own process group, so a timeout stops whatever it started too.
    const child = spawn(command, args, { cwd: run.worktree, env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      log.end();
      reject(new PhotonError('internal', `could not start the setup script: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      log.end(() => resolvePromise({ code, signal, timedOut, tail }));
    });
  });
}

/**
 * How a run's worktrees get their setup: `check` before a worktree is made (an untrusted script
 * fails the step before anything is written), `run` in the new worktree before the step.
 */
export interface SetupHook {
  check(repo: string, commit: string, workflowSetup: string | undefined): Promise<SetupScript | null>;
  /** `env` holds the worktree's PHOTON_* variables; the engine's environment is added. */
  run(script: SetupScript, worktree: string, env: Record<string, string>): Promise<void>;
}

export function createSetupHook(options: { git: Git; trust: SetupTrust; env: Readonly<Record<string, string>>; timeoutMs?: number }): SetupHook {
  return {
    async check(repo, commit, workflowSetup) {
      const script = await findSetupScript(options.git, repo, commit, workflowSetup);
      if (script) options.trust.require(script);
      return script;
    },
    run: (script, worktree, env) => runSetupScript(script, { worktree, env: { ...options.env, ...env }, log: `${worktree}.setup.log` }, options.timeoutMs),
  };
}
