/**
 * What the user does with a run's workspaces once it has ended: review its diffs, merge its result
 * into one of their branches, open a pull request, discard it, and keep Photon's worktrees folder
 * in check (usage, cleanup of finished runs, prune). Each refusal names the fix and leaves
 * everything as it was.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { RunStatus } from '../../../shared/runs.js';
import type {
  MergeOutcome,
  MergeStrategy,
  PullRequestOutcome,
  RemovedWorkspaces,
  SetupScriptInfo,
  WorkspaceDiff,
  WorkspacesUsage,
} from '../../../shared/workspace-review.js';
import type { EventBus } from '../events/index.js';
import type { RunWorkspaceRow, WorkspaceRecordsRepository, WorkspacesRepository } from '../storage/index.js';
import { diskUsage, removeRunWorkspaces, worktreesFolder, type CleanupContext } from './cleanup.js';
import type { Git } from './git.js';
import { applyMerge, planMerge } from './merge.js';
import { resultBranch, runWorktreesFolder } from './names.js';
import { openPullRequest } from './pull-request.js';
import { fileChanges, patchText, requireCommits, totalsOf, worktreeTree } from './review.js';
import { toRunWorkspace } from './run-workspaces.js';
import { findSetupScript, SetupTrust } from './setup.js';
import type { TerminalWorktrees } from './terminal-worktrees.js';

/** A run as the actions need it. */
export interface RunRef {
  id: string;
  status: RunStatus;
  workflowName: string;
}

export interface WorkspaceActionsOptions {
  git: Git;
  repo: WorkspacesRepository;
  records: WorkspaceRecordsRepository;
  events: EventBus;
  dataDir: string;
  env: Readonly<Record<string, string>>;
  /** A run by id or unique prefix; throws not_found. */
  run(runId: string): RunRef;
  /** Removes the worktrees made ahead of time (WorkspaceService.drainPool), for prune. */
  drainPool?: () => Promise<string[]>;
  /** Terminals' worktrees (WorkspaceService.terminals), listed by usage and removed by prune. */
  terminals?: TerminalWorktrees;
}

const empty = (): RemovedWorkspaces => ({ worktrees: [], branches: [], kept: [] });

export class WorkspaceActions {
  readonly trust: SetupTrust;

  constructor(private readonly options: WorkspaceActionsOptions) {
    this.trust = new SetupTrust(options.records);
  }

  /** A step's latest attempt against its starting point, or (no step) the run's result against its base. */
  async diff(request: { runId: string; step?: number; stat?: boolean }): Promise<WorkspaceDiff> {
    const { run, workspace } = this.workspaceOf(request.runId);
    await this.requireRepo(run, workspace);
    const { git } = this.options;
    let from: string;
    let to: string;
    let cwd = workspace.repo;
    let describes: string;
    let attempt: number | null = null;
    let commit: string | null;
    if (request.step === undefined) {
      if (!workspace.resultCommit) {
        const why = workspace.error ?? (run.status === 'running' ? 'the run is still running' : `the run ${run.status}, so it has no result branch`);
        throw new PhotonError('not_found', `run ${run.id} has no result to show: ${why}; see each step's changes with \`photon diff ${run.id} STEP\``);
      }
      from = workspace.baseCommit;
      to = commit = workspace.resultCommit;
      describes = `result of run ${run.id} (${workspace.branch}) against its base ${workspace.baseRef}`;
    } else {
      const row = this.options.repo.latestStepWorkspace(run.id, request.step);
      if (!row) throw new PhotonError('not_found', `step ${request.step} of run ${run.id} has no worktree (it did not start, or the run has no such step)`);
      attempt = row.attempt;
      from = row.baseCommit;
      if (row.resultCommit) {
        to = commit = row.resultCommit;
        describes = `result of step ${row.step} (attempt ${row.attempt}, ${row.state}) against its starting point`;
      } else {
        await requireCommits(git, workspace.repo, [from], `step ${row.step} of run ${run.id}`);
        to = await worktreeTree(git, row.path);
        cwd = row.path;
        commit = null;
        describes = `uncommitted files of step ${row.step}, attempt ${row.attempt} (${row.state === 'active' ? 'running' : 'failed; kept for inspection'}) against its starting point`;
      }
    }
    if (commit !== null) await requireCommits(git, workspace.repo, [from, commit], `run ${run.id}`);
    const files = await fileChanges(git, { cwd, from, to });
    const patch = request.stat ? '' : await patchText(git, { cwd, from, to });
    return { runId: run.id, step: request.step ?? null, attempt, from, to: commit, describes, files, totals: totalsOf(files), patch };
  }

  /** Merges the run's result into a branch; then removes the run's worktrees and branches (not with dryRun). */
  async merge(request: { runId: string; into?: string; strategy: MergeStrategy; dryRun?: boolean }): Promise<MergeOutcome> {
    const { run, workspace } = this.endedWorkspace(request.runId, 'merge');
    const result = await this.requireResult(run, workspace, 'merge');
    const { git, dataDir } = this.options;
    const plan = await planMerge(git, {
      repo: workspace.repo,
      runId: run.id,
      workflowName: run.workflowName,
      result,
      resultBranch: workspace.branch,
      baseRef: workspace.baseRef,
      into: request.into,
      strategy: request.strategy,
      ownFolder: worktreesFolder(dataDir),
    });
    const outcome = { runId: run.id, into: plan.into, strategy: request.strategy, before: plan.before, after: plan.after, workingTree: plan.workingTree, summary: plan.summary };
    if (request.dryRun) return { ...outcome, dryRun: true, removed: empty() };
    await applyMerge(git, workspace.repo, plan, run.id);
    // Written before the branches go: a run merged is said so even if removing them fails.
    this.options.repo.setRunOutcome(run.id, { kind: 'merged', into: plan.into, strategy: request.strategy, commit: plan.after, at: new Date().toISOString() });
    // The merge is done: a worktree that cannot be removed now is said, not a failure of the merge.
    let removed: RemovedWorkspaces;
    try {
      removed = await removeRunWorkspaces(this.cleanupContext(), run.id, { branches: true });
    } catch (error) {
      removed = { ...empty(), kept: [{ branch: workspace.branch, reason: `the run's worktrees could not be removed (${error instanceof Error ? error.message : String(error)}); \`photon discard ${run.id}\` tries again` }] };
    }
    this.announce(run.id);
    return { ...outcome, dryRun: false, removed };
  }

  /** Pushes the result branch to the GitHub remote and opens a pull request with `gh`. */
  async pullRequest(request: { runId: string; base?: string; title?: string }): Promise<PullRequestOutcome> {
    const { run, workspace } = this.endedWorkspace(request.runId, 'open a pull request for');
    await this.requireResult(run, workspace, 'open a pull request for');
    const base = request.base ?? workspace.baseRef;
    const body = [`The result of the Photon run ${run.id} (${run.workflowName}), made from ${workspace.baseRef} at ${workspace.baseCommit.slice(0, 12)}.`, '', `Photon-Run: ${run.id}`].join('\n');
    const opened = await openPullRequest(this.options.git, {
      repo: workspace.repo,
      runId: run.id,
      workflowName: run.workflowName,
      head: workspace.branch,
      base,
      title: request.title ?? `${run.workflowName} (Photon run ${run.id})`,
      body,
      env: this.options.env,
    });
    return { runId: run.id, remote: opened.remote, head: workspace.branch, base, url: opened.url };
  }

  /** Removes the run's worktrees and branches. */
  async discard(runId: string): Promise<RemovedWorkspaces> {
    const { run, workspace } = this.endedWorkspace(runId, 'discard');
    const removed = await removeRunWorkspaces(this.cleanupContext(), run.id, { branches: true });
    // Discarding what is left of a merged run (its worktrees) does not unsay the merge.
    if (workspace.outcome?.kind !== 'merged') this.options.repo.setRunOutcome(run.id, { kind: 'discarded', at: new Date().toISOString() });
    this.announce(run.id);
    return removed;
  }

  /** Removes the worktrees (not the branches: their results stay reviewable and mergeable) of the finished runs named, or of every finished run. */
  async cleanup(runIds?: readonly string[]): Promise<RemovedWorkspaces> {
    const ids = runIds ? runIds.map((id) => this.endedWorkspace(id, 'clean up').run.id) : this.finishedRuns();
    const total = empty();
    for (const id of ids) merge(total, await removeRunWorkspaces(this.cleanupContext(), id, { branches: false }));
    return total;
  }

  /**
   * Removes every worktree and branch Photon made for runs that are not running: the worktrees
   * under its worktrees folder and the `photon/` branches it recorded. Folders there that no run
   * records (an engine stopped between making and recording one) go too, and so do the worktrees
   * made ahead of time (the next run makes them again).
   */
  async prune(): Promise<RemovedWorkspaces> {
    const total = empty();
    for (const id of this.finishedRuns()) merge(total, await removeRunWorkspaces(this.cleanupContext(), id, { branches: true }));
    const folder = worktreesFolder(this.options.dataDir);
    const running = new Set(this.options.records.runsWithWorkspaces().filter((r) => r.status === 'running').map((r) => r.runId));
    for (const name of existsSync(folder) ? await readdir(folder) : []) {
      // Dot-folders are the engine's own (.pool: worktrees made ahead of time, drained below), never a run's.
      if (name.startsWith('.') || running.has(name) || this.options.repo.getRunWorkspace(name)?.runId === name) continue;
      const orphan = join(folder, name);
      await rm(orphan, { recursive: true, force: true });
      total.worktrees.push(orphan);
    }
    // The worktrees made ahead of time are Photon's too, and would stay in the user's `git worktree list`.
    if (this.options.drainPool) total.worktrees.push(...(await this.options.drainPool()));
    if (this.options.terminals) merge(total, await this.options.terminals.prune());
    return total;
  }

  /** The disk space each run's worktrees take. */
  async usage(): Promise<WorkspacesUsage> {
    const runs = [];
    for (const row of this.options.records.runsWithWorkspaces()) {
      const live = this.options.repo.stepWorkspaces(row.runId).filter((s) => s.state !== 'removed' && existsSync(s.path));
      const branchThere = existsSync(row.repo) && (await this.options.git.succeeds(['rev-parse', '--verify', '--quiet', `refs/heads/${resultBranch(row.runId)}`], row.repo));
      if (live.length === 0 && !branchThere) continue;
      runs.push({
        runId: row.runId,
        workflowName: row.workflowName,
        status: row.status,
        repo: row.repo,
        branch: branchThere ? resultBranch(row.runId) : null,
        worktrees: live.length,
        bytes: await diskUsage(runWorktreesFolder(this.options.dataDir, row.runId)),
        finished: row.status !== 'running',
      });
    }
    const folder = worktreesFolder(this.options.dataDir);
    const poolBytes = await diskUsage(join(folder, '.pool'));
    const terminals = (await this.options.terminals?.usage()) ?? [];
    const totalBytes = [...runs, ...terminals].reduce((sum, r) => sum + r.bytes, poolBytes);
    return { folder, totalBytes, poolBytes, runs, terminals };
  }

  /** The setup script a worktree starting at `commit` would run, and whether it is trusted. */
  async setupScript(repo: string, commit: string, workflowSetup: string | undefined): Promise<SetupScriptInfo | null> {
    const script = await findSetupScript(this.options.git, repo, commit, workflowSetup);
    return script && { ...script, trusted: this.trust.isTrusted(script) };
  }

  /** Trusts the script shown to the user, and only if it is still the one with that hash. */
  async trustSetup(repo: string, commit: string, workflowSetup: string | undefined, sha256: string): Promise<SetupScriptInfo> {
    const script = await findSetupScript(this.options.git, repo, commit, workflowSetup);
    if (!script) throw new PhotonError('not_found', `there is no setup script for ${repo} (no workspace.setup in the workflow, no .photon/setup at its base)`);
    if (script.sha256 !== sha256) {
      throw new PhotonError('conflict', `the setup script ${script.location} changed since it was shown (its sha256 is now ${script.sha256}); read it again before trusting it`);
    }
    this.trust.trust(script);
    return { ...script, trusted: true };
  }

  private finishedRuns(): string[] {
    return this.options.records
      .runsWithWorkspaces()
      .filter((r) => r.status !== 'running')
      .map((r) => r.runId);
  }

  private workspaceOf(runId: string): { run: RunRef; workspace: RunWorkspaceRow } {
    const run = this.options.run(runId);
    const workspace = this.options.repo.getRunWorkspace(run.id);
    if (!workspace) throw new PhotonError('not_found', `run ${run.id} has no workspace: it ran without isolation (start it with \`photon run FILE --worktree\`, or set "workspace" in the workflow)`);
    return { run, workspace };
  }

  /** The run's repository, still where the run found it and still a repository. */
  private async requireRepo(run: RunRef, workspace: RunWorkspaceRow): Promise<void> {
    const gone = `the repository ${workspace.repo} of run ${run.id}`;
    if (!existsSync(workspace.repo)) throw new PhotonError('not_found', `${gone} is gone (moved or deleted); put it back where it was, or \`photon discard ${run.id}\` to forget the run's workspaces`);
    const found = await this.options.git.run(['rev-parse', '--git-dir'], { cwd: workspace.repo, okCodes: [128] });
    if (found.code !== 0) throw new PhotonError('not_found', `${gone} is no longer a git repository; restore its .git folder, or \`photon discard ${run.id}\``);
  }

  private endedWorkspace(runId: string, verb: string): { run: RunRef; workspace: RunWorkspaceRow } {
    const found = this.workspaceOf(runId);
    if (found.run.status === 'running') {
      throw new PhotonError('conflict', `run ${found.run.id} is still running; wait for it to end (or cancel it with \`photon runs\`'s app or Ctrl-C), then ${verb} it`);
    }
    return found;
  }

  private async requireResult(run: RunRef, workspace: RunWorkspaceRow, verb: string): Promise<string> {
    await this.requireRepo(run, workspace);
    if (!workspace.resultCommit) {
      const why = workspace.error ?? `it ${run.status}, so it has no result branch`;
      throw new PhotonError('invalid', `cannot ${verb} run ${run.id}: ${why}; resume it (\`photon resume ${run.id}\`), or look at each step's changes with \`photon diff ${run.id} STEP\``);
    }
    const branch = await this.options.git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${workspace.branch}`], { cwd: workspace.repo, okCodes: [1, 128] });
    if (branch.code !== 0) {
      throw new PhotonError('not_found', `cannot ${verb} run ${run.id}: its result branch ${workspace.branch} no longer exists in ${workspace.repo} (it was merged, discarded or pruned)`);
    }
    return workspace.resultCommit;
  }

  private cleanupContext(): CleanupContext {
    return { git: this.options.git, repo: this.options.repo, dataDir: this.options.dataDir };
  }

  private announce(runId: string): void {
    const row = this.options.repo.getRunWorkspace(runId);
    if (row) this.options.events.emit('workspace.updated', { runId, workspace: toRunWorkspace(row) });
  }
}

function merge(into: RemovedWorkspaces, more: RemovedWorkspaces): void {
  into.worktrees.push(...more.worktrees);
  into.branches.push(...more.branches);
  into.kept.push(...more.kept);
}
