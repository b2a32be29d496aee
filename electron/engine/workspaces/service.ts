import type { RunStatus } from '../../../shared/runs.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { RunWorkspace, StepWorkspace } from '../../../shared/workspaces.js';
import type { EventBus } from '../events/index.js';
import type { WorkspacesRepository } from '../storage/index.js';
import { Git } from './git.js';
import { resultBranch } from './names.js';
import { poolFolder, poolSize, WorktreePool } from './pool.js';
import { TerminalWorktrees } from './terminal-worktrees.js';
import { PortBlocks } from './ports.js';
import { removeRemoteLeftovers, type RemoteLeftovers } from './remote-leftovers.js';
import { resolveWorkspace, type WorkspaceRequest } from './resolve.js';
import type { SetupHook } from './setup.js';
import { IsolatedRunWorkspaces, toRunWorkspace, toStepWorkspace } from './run-workspaces.js';
import type { RemoteClone, ResolvedWorkspace, RunWorkspaces } from './types.js';

export interface WorkspaceServiceOptions {
  repo: WorkspacesRepository;
  events: EventBus;
  dataDir: string;
  /** The engine's environment: git is found on its PATH. */
  env: Readonly<Record<string, string>>;
  /** Runs the trusted setup script in each new worktree (setup.ts); none when absent. */
  setup?: SetupHook;
  /** Worktrees kept ready for each repository (pool.ts); 0 makes every worktree on demand. */
  poolSize?: number;
}

/** A run without isolation: every step in its own folder, as before workspaces. */
const shared: RunWorkspaces = {
  isolated: false,
  prepare: () => Promise.resolve(null),
  finish: () => Promise.resolve(null),
  finishRun: (status: RunStatus) => Promise.resolve(status),
  stepState: () => undefined,
};

/** The engine's workspaces: checks a run's repository before it starts, and gives each run its part of the attempt pipeline. */
export class WorkspaceService {
  readonly git: Git;
  /** Port blocks of every running attempt in this engine, whatever its run. */
  readonly ports = new PortBlocks();
  private readonly pool: WorktreePool;
  /** Worktrees of terminals opened in a new worktree. */
  readonly terminals: TerminalWorktrees;
  private readonly lookingAtHosts = new Map<string, Promise<RemoteLeftovers>>();

  constructor(private readonly options: WorkspaceServiceOptions) {
    this.git = new Git(options.env);
    this.pool = new WorktreePool(this.git, poolFolder(options.dataDir), options.poolSize ?? poolSize);
    this.terminals = new TerminalWorktrees(this.git, options.dataDir, this.ports);
  }

  /**
   * Removes Photon's own finished worktrees and branches from a host's clone (remote-leftovers.ts);
   * `runLive` says which runs are queued or running. One look per host at a time.
   */
  removeRemoteLeftovers(clone: RemoteClone, runLive: (runId: string) => boolean): Promise<RemoteLeftovers> {
    let looking = this.lookingAtHosts.get(clone.host);
    if (!looking) {
      looking = removeRemoteLeftovers(clone, this.options.repo, runLive).finally(() => this.lookingAtHosts.delete(clone.host));
      this.lookingAtHosts.set(clone.host, looking);
    }
    return looking;
  }

  /** Resolves once the worktrees being made ahead of time are ready. */
  poolSettled(): Promise<void> {
    return this.pool.settled();
  }

  /** Removes the worktrees made ahead of time from every repository (prune), after any being made. */
  drainPool(): Promise<string[]> {
    return this.pool.drain();
  }

  /** Waits for worktrees being made ahead of time (the engine is closing). */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** The repository and base a new run's steps start from (null without isolation); refuses bad input naming the field. */
  resolve(request: WorkspaceRequest): Promise<ResolvedWorkspace | null> {
    return resolveWorkspace(this.git, request);
  }

  /** Records a new run's workspace; called in the transaction that writes the run. */
  record(runId: string, resolved: ResolvedWorkspace): void {
    this.options.repo.createRunWorkspace({
      runId,
      repo: resolved.repo,
      baseRef: resolved.baseRef,
      baseCommit: resolved.baseCommit,
      branch: resultBranch(runId),
      notes: resolved.notes,
      createdAt: new Date().toISOString(),
    });
  }

  /** The run's part of the attempt pipeline (a no-op for a run without a workspace). */
  forRun(runId: string, workflowName: string, workflow: Workflow): RunWorkspaces {
    const row = this.options.repo.getRunWorkspace(runId);
    if (!row) return shared;
    let identity: Promise<Record<string, string>> | undefined;
    return new IsolatedRunWorkspaces({
      git: this.git,
      repo: this.options.repo,
      events: this.options.events,
      ports: this.ports,
      dataDir: this.options.dataDir,
      runId,
      workflowName,
      workflow,
      row,
      identity: () => (identity ??= this.identity(row.repo)),
      setup: this.options.setup,
      pool: this.pool,
    });
  }

  runWorkspace(runId: string): RunWorkspace | undefined {
    const row = this.options.repo.getRunWorkspace(runId);
    return row && toRunWorkspace(row);
  }

  /** A step's latest attempt's worktree. */
  stepWorkspace(runId: string, step: number): StepWorkspace | undefined {
    const row = this.options.repo.latestStepWorkspace(runId, step);
    return row && toStepWorkspace(row);
  }

  /** Each step's latest worktree in a run. */
  stepWorkspaces(runId: string): Map<number, StepWorkspace> {
    const latest = new Map<number, StepWorkspace>();
    for (const row of this.options.repo.stepWorkspaces(runId)) latest.set(row.step, toStepWorkspace(row));
    return latest;
  }

  /**
   * Who Photon's commits are by: the user's git identity where they have one (read, never
   * written), else Photon itself, so a commit never fails for want of a name.
   */
  private async identity(repo: string): Promise<Record<string, string>> {
    const read = async (key: string) => (await this.git.run(['config', '--get', key], { cwd: repo, okCodes: [1] })).stdout.trim();
    const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
    if (name && email) return {};
    const who = { name: name || 'Photon', email: email || 'photon@localhost' };
    return { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
  }
}
