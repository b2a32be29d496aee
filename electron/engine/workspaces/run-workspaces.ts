/**
 * One isolated run's part of the attempt pipeline: each attempt's worktree made from its starting
 * point, its result committed or kept, and the run's result branch at the end.
 */
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
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
import type { AttemptAuthor, PreparedWorkspace, RunWorkspaces } from './types.js';
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
  portBase: number;
}

export class IsolatedRunWorkspaces implements RunWorkspaces {
  readonly isolated = true;
  private readonly preparations = new Map<string, Promise<Prepared | null>>();

  constructor(private readonly ctx: RunWorkspacesContext) {}

  prepare(step: WorkflowStep, attempt: number): Promise<PreparedWorkspace> {
    const preparation = this.makeWorktree(step, attempt);
    this.preparations.set(`${step.step}:${attempt}`, preparation.catch(() => null));
    return preparation.then(({ row }) => this.prepared(row));
  }

  async finish(step: WorkflowStep, attempt: number, succeeded: boolean, author: AttemptAuthor): Promise<string | null> {
    const key = `${step.step}:${attempt}`;
    const prepared = await this.preparations.get(key);
    this.preparations.delete(key);
    if (!prepared) return null;
    const { git, repo } = this.ctx;
    const { row } = prepared;
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
      this.ctx.ports.release(prepared.portBase);
    }
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
    const files = row.conflicts;
    return {
      root: row.path,
      env: { PHOTON_WORKTREE: row.path, PHOTON_BRANCH: row.branch, PHOTON_PORT_BASE: String(row.portBase) },
      conflicts: files,
      promptNote:
        files.length > 0
          ? `Photon merged the results of the steps this one depends on into this folder, and they conflict in: ${files.join(', ')}. ` +
            'Resolve those conflicts (keep what each side meant, and remove the <<<<<<< ======= >>>>>>> markers) as part of this task.'
          : null,
      folder: (path, baseDir, place) => folderInWorktree({ path, baseDir, place, repoRoot, worktree: row.path }),
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

/**
 * A step's folder inside its worktree: where the folder it names (or the workflow's folder) sits
 * in the repository. A folder the step names outside the repository is refused, since the step
 * would then work outside its worktree; an agent's default folder there falls back to the root.
 */
function folderInWorktree(input: { path: string | null; baseDir: string; place: string; repoRoot: string; worktree: string }): string {
  const { path, baseDir, place, repoRoot, worktree } = input;
  const named = path !== null && path !== '';
  const target = !named ? baseDir : path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : resolve(baseDir, path);
  const inside = relative(repoRoot, real(target));
  if (inside.startsWith('..') || isAbsolute(inside)) {
    if (named && !place.startsWith('agent')) {
      throw new PhotonError('invalid', `${place}: folder "${target}" is outside the repository ${repoRoot}; with a workspace a step works inside its worktree, so name a folder inside the repository`);
    }
    return worktree;
  }
  const folder = join(worktree, inside);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder) throw new PhotonError('invalid', `${place}: folder "${inside}" does not exist in the step's worktree (the repository at its starting point); create it in the repository or fix the path`);
  return folder;
}

/** The path with links resolved as far as it exists, so it compares with git's top folder. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
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
