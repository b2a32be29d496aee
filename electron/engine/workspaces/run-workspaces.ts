/**
 * One isolated run's part of the attempt pipeline: each attempt's worktree made from its starting
 * point, its result committed or kept, and the run's result branch at the end.
 */
import { basename, sep } from 'node:path';
import { platformInfo } from '../../../shared/platforms.js';
import type { RunStatus } from '../../../shared/runs.js';
import { stepTitle, type Workflow, type WorkflowStep } from '../../../shared/workflow.js';
import type { RunWorkspace, StepWorkspace } from '../../../shared/workspaces.js';
import type { EventBus } from '../events/index.js';
import type { RunWorkspaceRow, StepWorkspaceRow, WorkspacesRepository } from '../storage/index.js';
import type { Git } from './git.js';
import { resultBranch, runWorktreesFolder, stepBranch, stepWorktreePath } from './names.js';
import type { WorktreePool } from './pool.js';
import type { PortBlocks } from './ports.js';
import { mergeAll, startPoint, stepList, type MergeContext, type ParentResult } from './start-point.js';
import { changeStats, commitAttempt } from './step-commit.js';
import { commitRemoteWorktree, makeRemoteWorktree, removeRemoteWorktree, runRemoteSetup, setLocalBranch, type RemoteWorktree } from './remote-worktree.js';
import type { AttemptAuthor, PreparedWorkspace, RemoteClone, RunWorkspaces } from './types.js';
import { folderInWorktree, placeInRepository, remoteLocation } from './worktree-folders.js';
import type { SetupHook } from './setup.js';
import { addWorktree, removeWorktree } from './worktree.js';

export interface RunWorkspacesContext {
  git: Git;
  repo: WorkspacesRepository;
  events: EventBus;
  ports: PortBlocks;
  dataDir: string;
  runId: string;
  workflowName: string;
  workflow: Workflow;
  row: RunWorkspaceRow;
  /** Author and committer variables for Photon's commits (the user's own identity when git has one). */
  identity: () => Promise<Record<string, string>>;
  /** The trusted setup script run in each new worktree (setup.ts). */
  setup?: SetupHook;
  /** Worktrees made ahead of time. */
  pool?: WorktreePool;
}

interface Prepared {
  row: StepWorkspaceRow;
  /** Null for a worktree on a remote host: its ports are the host's. */
  portBase: number | null;
  /** A worktree on a remote host: where it is there. */
  remote?: { clone: RemoteClone; worktree: RemoteWorktree };
}

export class IsolatedRunWorkspaces implements RunWorkspaces {
  readonly isolated = true;
  private readonly preparations = new Map<string, Promise<Prepared | null>>();

  constructor(private readonly ctx: RunWorkspacesContext) {}

  prepare(step: WorkflowStep, attempt: number, remote?: RemoteClone): Promise<PreparedWorkspace> {
    const preparation = remote ? this.makeRemoteWorktree(step, attempt, remote) : this.makeWorktree(step, attempt);
    this.preparations.set(`${step.step}:${attempt}`, preparation.catch(() => null));
    return preparation.then((prepared) => (prepared.remote ? this.preparedRemote(prepared.row, prepared.remote.worktree) : this.prepared(prepared.row)));
  }

  async finish(step: WorkflowStep, attempt: number, succeeded: boolean, author: AttemptAuthor): Promise<string | null> {
    const key = `${step.step}:${attempt}`;
    const prepared = await this.preparations.get(key);
    this.preparations.delete(key);
    if (!prepared) return null;
    const { git, repo } = this.ctx;
    const { row } = prepared;
    if (prepared.remote) return this.finishRemote(step, attempt, succeeded, author, row, prepared.remote);
    try {
      if (!succeeded) {
        repo.finishStepWorkspace(this.ctx.runId, step.step, attempt, { state: 'kept', resultCommit: null, changes: null });
        return null;
      }
      try {
        const outcome = await commitAttempt(git, {
          worktree: row.path,
          branch: row.branch,
          start: row.baseCommit,
          message: this.commitMessage(step, attempt, author),
          identity: await this.ctx.identity(),
          conflicts: row.conflicts,
        });
        repo.finishStepWorkspace(this.ctx.runId, step.step, attempt, { state: outcome.changed ? 'committed' : 'unchanged', resultCommit: outcome.commit, changes: outcome.changes });
        return null;
      } catch (error) {
        repo.finishStepWorkspace(this.ctx.runId, step.step, attempt, { state: 'kept', resultCommit: null, changes: null });
        return `its changes could not be committed in ${row.path}: ${error instanceof Error ? error.message : String(error)}`;
      }
    } finally {
      if (prepared.portBase !== null) this.ctx.ports.release(prepared.portBase);
    }
  }

  /**
   * A remote attempt's end: a success is committed on the host and fetched onto the step's branch
   * here; then the worktree and its branch leave the host, whatever the outcome (a failure's
   * changes are not kept there: nothing of a step may stay behind on a host).
   */
  private async finishRemote(step: WorkflowStep, attempt: number, succeeded: boolean, author: AttemptAuthor, row: StepWorkspaceRow, remote: NonNullable<Prepared['remote']>): Promise<string | null> {
    const { repo, runId } = this.ctx;
    let error: string | null = null;
    try {
      if (succeeded) {
        const request = { repo: row.repo, branch: row.branch, start: row.baseCommit, message: this.commitMessage(step, attempt, author), identity: await this.remoteIdentity(), conflicts: row.conflicts };
        const outcome = await commitRemoteWorktree(this.ctx.git, remote.clone, remote.worktree, request);
        repo.finishStepWorkspace(runId, step.step, attempt, { state: outcome.changed ? 'committed' : 'unchanged', resultCommit: outcome.commit, changes: outcome.changes });
        return null;
      }
    } catch (failure) {
      error = `its changes could not be committed and fetched from ${remote.clone.where}: ${failure instanceof Error ? failure.message : String(failure)}`;
    } finally {
      // A host that cannot be reached now keeps it ('kept' for a failure): the step's next attempt there removes it
      // (makeRemoteWorktree), or the next connection to the host once the run is over (remote-leftovers.ts).
      const removed = await removeRemoteWorktree(remote.clone, remote.worktree, row.branch);
      if (error !== null || !succeeded) repo.finishStepWorkspace(runId, step.step, attempt, { state: removed ? 'removed' : 'kept', resultCommit: null, changes: null });
    }
    return error;
  }

  async finishRun(status: RunStatus): Promise<RunStatus> {
    if (status !== 'succeeded') return status;
    const { git, repo, runId, row } = this.ctx;
    const mergeCtx: MergeContext = { git, repo: row.repo, identity: await this.ctx.identity() };
    const dependedOn = new Set(this.ctx.workflow.workflow.flatMap((def) => def.dependencies));
    const finals = this.ctx.workflow.workflow.filter((def) => !dependedOn.has(def.step)).map((def) => def.step);
    const merged = await mergeAll(mergeCtx, row.baseCommit, this.resultsOf(finals));
    if ('files' in merged) {
      const error = `the results of the final steps ${stepList(merged.steps)} conflict in ${merged.files.join(', ')}, so there is no result branch; add a step that depends on them with "onConflict": "agent" to merge them`;
      repo.setRunResult(runId, { resultCommit: null, changes: null, error });
      this.announce();
      return 'failed';
    }
    const branch = resultBranch(runId);
    const previous = repo.getRunWorkspace(runId)?.resultCommit ?? '';
    try {
      // The old value makes git refuse a branch someone else made or moved meanwhile.
      await git.run(['update-ref', '-m', `photon: result of run ${runId}`, `refs/heads/${branch}`, merged.commit, previous], { cwd: row.repo });
    } catch (error) {
      const why = previous ? 'it was moved since Photon made it' : 'a branch of that name already exists and Photon did not make it';
      repo.setRunResult(runId, { resultCommit: null, changes: null, error: `could not set branch ${branch}: ${why}; rename or delete that branch and resume the run (${error instanceof Error ? error.message : String(error)})` });
      this.announce();
      return 'failed';
    }
    repo.setRunResult(runId, { resultCommit: merged.commit, changes: await changeStats(git, row.repo, row.baseCommit, merged.commit), error: null });
    this.announce();
    return 'succeeded';
  }

  stepState(step: number): StepWorkspace | undefined {
    const row = this.ctx.repo.latestStepWorkspace(this.ctx.runId, step);
    return row && toStepWorkspace(row);
  }

  private async makeWorktree(step: WorkflowStep, attempt: number): Promise<Prepared> {
    const { git, repo, runId, row: run, dataDir } = this.ctx;
    const earlier = repo.stepWorkspaces(runId).filter((r) => r.step === step.step);
    // An attempt Photon stopped (a crash, a cancel) kept its changes as they were: inspection only.
    for (const stale of earlier) if (stale.state === 'active') repo.setStepWorkspaceState(runId, step.step, stale.attempt, 'kept');
    // Only a merge of several results commits anything before the step runs.
    const identity = new Set(step.dependencies).size > 1 ? await this.ctx.identity() : {};
    const start = await startPoint({ git, repo: run.repo, identity }, run.baseCommit, this.resultsOf(step.dependencies), step.step, step.onConflict ?? 'fail');
    // An untrusted setup script fails the step before its worktree is made.
    const setup = (await this.ctx.setup?.check(run.repo, start.commit, this.ctx.workflow.workspace?.setup)) ?? null;
    const path = stepWorktreePath(dataDir, runId, step.step, attempt);
    const branch = stepBranch(runId, step.step);
    await addWorktree(git, { repo: run.repo, path, branch, commit: start.commit, branchIsOurs: earlier.length > 0 }, runWorktreesFolder(dataDir, runId), this.ctx.pool);
    // Ready for the next step, or the next run, while this one works.
    this.ctx.pool?.fill(run.repo, run.baseCommit);
    let portBase: number | undefined;
    let row: StepWorkspaceRow;
    try {
      if (start.pendingMerge) {
        const message = `Merge the result of ${stepList(start.pendingMerge.steps)} (conflicts resolved by step ${step.step})`;
        await git.run(['merge', '--no-ff', '--no-commit', '-m', message, start.pendingMerge.commit], { cwd: path, env: identity, okCodes: [1] });
      }
      portBase = await this.ctx.ports.take();
      row = {
        runId,
        step: step.step,
        attempt,
        repo: run.repo,
        path,
        branch,
        state: 'active',
        baseCommit: start.commit,
        resultCommit: null,
        changes: null,
        conflicts: start.conflicts,
        portBase,
        createdAt: new Date().toISOString(),
      };
      repo.insertStepWorkspace(row);
    } catch (error) {
      // Nothing half-made stays: no worktree without its row, no branch a retry would take for someone else's.
      if (portBase !== undefined) this.ctx.ports.release(portBase);
      await removeWorktree(git, run.repo, path).catch(() => undefined);
      if (earlier.length === 0) await git.run(['branch', '-D', branch], { cwd: run.repo, okCodes: [1] }).catch(() => undefined);
      throw error;
    }
    if (setup) {
      try {
        await this.ctx.setup!.run(setup, path, { PHOTON_WORKTREE: path, PHOTON_BRANCH: branch, PHOTON_PORT_BASE: String(portBase), PHOTON_REPO: run.repo });
      } catch (error) {
        // Kept as the script left it, for inspection, like a failed attempt's.
        repo.finishStepWorkspace(runId, step.step, attempt, { state: 'kept', resultCommit: null, changes: null });
        this.ctx.ports.release(portBase);
        throw error;
      }
    }
    return { row, portBase };
  }

  /**
   * The attempt's worktree in a host's clone: the same starting point, branch and record as a
   * local one, the commits moved by git over ssh. The step's branch here is set at its start, so
   * review sees it as for a local step.
   */
  private async makeRemoteWorktree(step: WorkflowStep, attempt: number, clone: RemoteClone): Promise<Prepared> {
    const { git, repo, runId, row: run, dataDir } = this.ctx;
    const earlier = repo.stepWorkspaces(runId).filter((r) => r.step === step.step);
    // What an engine that died, or a host that stopped answering, left there goes before the new one is made.
    const stale = earlier.filter((r) => r.state === 'active' || (r.state === 'kept' && remoteLocation(r.path)?.host === clone.host));
    for (const row of stale) repo.setStepWorkspaceState(runId, step.step, row.attempt, remoteLocation(row.path) ? 'removed' : 'kept');
    const identity = new Set(step.dependencies).size > 1 ? await this.ctx.identity() : {};
    const start = await startPoint({ git, repo: run.repo, identity }, run.baseCommit, this.resultsOf(step.dependencies), step.step, step.onConflict ?? 'fail');
    // An untrusted setup script fails the step before anything is made, here or there.
    const setup = (await this.ctx.setup?.check(run.repo, start.commit, this.ctx.workflow.workspace?.setup)) ?? null;
    const branch = stepBranch(runId, step.step);
    const created = await setLocalBranch(git, run.repo, branch, start.commit, earlier.length > 0);
    const message = start.pendingMerge ? `Merge the result of ${stepList(start.pendingMerge.steps)} (conflicts resolved by step ${step.step})` : '';
    let worktree: RemoteWorktree;
    try {
      worktree = await makeRemoteWorktree(git, clone, {
        repo: run.repo,
        runId,
        name: basename(stepWorktreePath(dataDir, runId, step.step, attempt)),
        branch,
        commit: start.commit,
        pendingMerge: start.pendingMerge ? { commit: start.pendingMerge.commit, message } : null,
        stale: stale.flatMap((row) => {
          const there = remoteLocation(row.path);
          return there?.host === clone.host ? [there.path] : [];
        }),
      });
    } catch (error) {
      if (created) await git.run(['branch', '-D', branch], { cwd: run.repo, okCodes: [1] }).catch(() => undefined);
      throw error;
    }
    const row: StepWorkspaceRow = {
      runId,
      step: step.step,
      attempt,
      repo: run.repo,
      path: `${clone.host}:${worktree.path}`,
      branch,
      state: 'active',
      baseCommit: start.commit,
      resultCommit: null,
      changes: null,
      conflicts: start.conflicts,
      portBase: null,
      createdAt: new Date().toISOString(),
    };
    try {
      repo.insertStepWorkspace(row);
    } catch (error) {
      await removeRemoteWorktree(clone, worktree, branch);
      throw error;
    }
    if (setup) {
      try {
        await runRemoteSetup(clone, setup, worktree, { PHOTON_WORKTREE: worktree.path, PHOTON_BRANCH: branch, PHOTON_REPO: worktree.top });
      } catch (error) {
        // Nothing of a step stays on a host: the script's output is in the error.
        await removeRemoteWorktree(clone, worktree, branch);
        repo.finishStepWorkspace(runId, step.step, attempt, { state: 'removed', resultCommit: null, changes: null });
        throw error;
      }
    }
    return { row, portBase: null, remote: { clone, worktree } };
  }

  /** Who a remote step's commit is by: the identity this repository's commits have here, never the host's. */
  private async remoteIdentity(): Promise<Record<string, string>> {
    const own = await this.ctx.identity();
    if (own.GIT_AUTHOR_NAME) return own;
    const read = async (key: string) => (await this.ctx.git.run(['config', '--get', key], { cwd: this.ctx.row.repo, okCodes: [1] })).stdout.trim();
    const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  }

  /** The commit each step passed on: its result, else (failed, allowed to) what it started from. */
  private resultsOf(steps: readonly number[]): ParentResult[] {
    const rows = this.ctx.repo.stepWorkspaces(this.ctx.runId);
    const latest = new Map<number, StepWorkspaceRow>();
    for (const row of rows) latest.set(row.step, row);
    const withResult = new Map<number, string>();
    for (const row of rows) if (row.resultCommit) withResult.set(row.step, row.resultCommit);
    return [...new Set(steps)].map((step) => ({ step, commit: withResult.get(step) ?? latest.get(step)?.baseCommit ?? this.ctx.row.baseCommit }));
  }

  private prepared(row: StepWorkspaceRow): PreparedWorkspace {
    const repoRoot = this.ctx.row.repo;
    return {
      ...this.conflictsOf(row),
      root: row.path,
      env: { PHOTON_WORKTREE: row.path, PHOTON_BRANCH: row.branch, PHOTON_PORT_BASE: String(row.portBase) },
      folder: (path, baseDir, place) => folderInWorktree({ path, baseDir, place, repoRoot, worktree: row.path }),
    };
  }

  /** On the host: the folder a step names is where it sits in the repository here, in the worktree there (checked there when the step starts). */
  private preparedRemote(row: StepWorkspaceRow, worktree: RemoteWorktree): PreparedWorkspace {
    const repoRoot = this.ctx.row.repo;
    return {
      ...this.conflictsOf(row),
      root: worktree.path,
      env: { PHOTON_WORKTREE: worktree.path, PHOTON_BRANCH: row.branch },
      folder: (path, baseDir, place) => {
        const inside = placeInRepository({ path, baseDir, place, repoRoot });
        return inside === '' ? worktree.path : `${worktree.path}/${inside.split(sep).join('/')}`;
      },
    };
  }

  private conflictsOf(row: StepWorkspaceRow): Pick<PreparedWorkspace, 'conflicts' | 'promptNote'> {
    const files = row.conflicts;
    return {
      conflicts: files,
      promptNote:
        files.length > 0
          ? `Photon merged the results of the steps this one depends on into this folder, and they conflict in: ${files.join(', ')}. ` +
            'Resolve those conflicts (keep what each side meant, and remove the <<<<<<< ======= >>>>>>> markers) as part of this task.'
          : null,
    };
  }

  private commitMessage(step: WorkflowStep, attempt: number, author: AttemptAuthor): string {
    const tool = platformInfo(author.platform)?.label ?? author.platform;
    return [
      stepTitle(step),
      '',
      `Step ${step.step} of the Photon run ${this.ctx.runId} (${this.ctx.workflowName}), attempt ${attempt}.`,
      `Agent: ${author.agentId ?? 'none'}`,
      `Tool: ${tool}`,
      '',
      `Photon-Run: ${this.ctx.runId}`,
      `Photon-Step: ${step.step}`,
    ].join('\n');
  }

  private announce(): void {
    const row = this.ctx.repo.getRunWorkspace(this.ctx.runId);
    if (row) this.ctx.events.emit('workspace.updated', { runId: this.ctx.runId, workspace: toRunWorkspace(row) });
  }
}

export function toRunWorkspace(row: RunWorkspaceRow): RunWorkspace {
  const { runId: _runId, createdAt: _createdAt, ...state } = row;
  return state;
}

export function toStepWorkspace(row: StepWorkspaceRow): StepWorkspace {
  const { runId: _runId, step: _step, repo: _repo, createdAt: _createdAt, ...state } = row;
  return state;
}
