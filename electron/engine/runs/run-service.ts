import { PhotonError } from '../../../shared/errors.js';
import type { RunDetail, RunStatus, RunSummary, RunTimeline, StepDetail } from '../../../shared/runs.js';
import { isResumableRunStatus } from '../../../shared/runs.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { RunFilter, RunParent, RunRow, StepRow } from '../storage/index.js';
import { processIdentity } from '../terminals/index.js';
import type { ResolvedWorkspace, WorkspaceService } from '../workspaces/index.js';
import { checkDeadline, Deadlines } from './deadlines.js';
import { newId } from './ids.js';
import { priorityRank, RunQueue } from './run-queue.js';
import { planResume } from './resume-plan.js';
import { RunExecutor } from './run-executor.js';
import type { ExecutorContext } from './executor-context.js';
import { planSelection, refuseLentCode, type StepSelection } from './step-selection.js';
import { toAttemptState, toItemStates, toRunDetail, toRunTimeline, toStepState } from './run-view.js';
import { recoverInterruptedRuns } from './run-recovery.js';
import { LostWrites } from './run-settlement.js';
import { ChildRuns } from './child-runs.js';
import { checkSubWorkflows, type SavedWorkflowLookup } from './sub-workflow-plan.js';

/** The executor's context (every run shares it), with the engine-wide workspaces and the run limits. */
export interface RunServiceOptions extends Omit<ExecutorContext, 'workspaces' | 'children'> {
  defaultConcurrency: number;
  /** Runs this engine runs at once; more wait `queued`, the highest priority first. Unlimited by default. */
  maxActiveRuns?: number;
  workspaces: WorkspaceService;
  /** Where sub-workflow steps find the saved workflows they run; without it such steps are refused. */
  savedWorkflows?: SavedWorkflowLookup;
}

export interface StartRunRequest {
  workflow: Workflow;
  workflowId: string | null;
  concurrency?: number;
  /** Folder that relative step `cwd`s resolve against. */
  baseDir: string;
  /** Runs only some steps; see step-selection.ts. */
  selection?: StepSelection & {
    /** The run whose succeeded steps lend their outputs; by default the workflow's latest run. */
    outputsFrom?: string;
  };
  /** Each step in its own git worktree from this repository and base (checked beforehand by `WorkspaceService.resolve`). */
  workspace?: ResolvedWorkspace | null;
  /** A sub-workflow's child run: the step that started it, and what that step passed it (`{{inputs.NAME}}`). */
  parent?: RunParent;
  inputs?: Record<string, unknown>;
  /** What started it when not a person: a schedule, a file trigger or a webhook. */
  trigger?: RunSummary['trigger'];
}

/** What `runs.update` may change; see shared/api.ts. */
export interface RunUpdate {
  priority?: string;
  deadline?: string | null;
  metadata?: Record<string, unknown>;
}

/** Which runs `list` returns; see `runs.list` in shared/api.ts. */
export interface RunListQuery extends RunFilter {
  limit?: number;
  workflowId?: string;
}

/** Starts, watches, cancels and resumes runs; the one owner of live executors. */
export class RunService {
  private readonly active = new Map<string, { executor: RunExecutor; done: Promise<RunStatus> }>();
  /** This engine's identity in `runs.owner`, so another engine on the same data leaves our runs alone. */
  private readonly owner = processIdentity(process.pid);
  private readonly deadlines = new Deadlines();
  private readonly queue = new RunQueue();

  private readonly children: ChildRuns;
  /** Runs whose writes SQLite refused (disk full): stopped and set from the file, as a crash and a recovery would. */
  private readonly lostWrites: LostWrites;

  constructor(private readonly options: RunServiceOptions) {
    this.lostWrites = new LostWrites(options.repo, {
      interrupt: (runId) => {
        const active = this.active.get(runId);
        void active?.executor.interrupt();
        return active !== undefined;
      },
      dequeue: (runId) => {
        this.deadlines.disarm(runId);
        return this.queue.remove(runId)?.settle;
      },
      announce: (runId) => this.announceStored(runId),
      closeQuestions: (runId, reason) => options.gates.closeRun(runId, reason),
    });
    this.children = new ChildRuns({
      repo: options.repo,
      saved: options.savedWorkflows,
      resolveWorkspace: (request) => options.workspaces.resolve(request),
      start: (request) => this.start(request),
      resume: (runId) => this.resume(runId),
      waitFor: (runId) => this.waitFor(runId),
      cancel: (runId, reason) => this.cancel(runId, reason),
      interrupt: (runId) => this.interrupt(runId),
    });
  }

  /**
   * Marks runs left `running` by an engine that no longer exists as `interrupted`, after killing
   * whatever of their processes survived it.
   */
  recoverInterrupted(): Promise<string[]> {
    return recoverInterruptedRuns(this.options, this.owner);
  }

  start(request: StartRunRequest): { runId: string; done: Promise<RunStatus> } {
    const { repo } = this.options;
    // Planned (and refused) before anything is written.
    const plan = request.selection ? planSelection(request.workflow, request.selection, this.earlierRun(request.selection.outputsFrom, request.workflowId)) : null;
    if (plan && request.workspace) refuseLentCode(request.workflow, plan);
    checkDeadline(request.workflow.deadline);
    // Every workflow it would run as a sub-workflow exists, takes what it is given, and none runs itself.
    // A child is checked with the runs above it: the guard at run time against a cycle saved since they started.
    checkSubWorkflows(request.workflow, request.workflowId, this.options.savedWorkflows, request.parent ? this.children.chainTo(request.parent.runId) : []);
    const runId = newId();
    const createdAt = new Date().toISOString();
    // Written as queued at once when every slot is taken (a child never waits: see execute), rather
    // than written running, read back and changed: a backlog of thousands is made one run at a time.
    const queued = !request.parent && !this.slotFree();
    // The run and its workspace are written together: a run never exists without the worktrees it was asked for.
    repo.transaction(() => {
      repo.createRun({
        id: runId,
        workflowId: request.workflowId,
        workflowName: request.workflow.name,
        definition: JSON.stringify(request.workflow),
        status: queued ? 'queued' : 'running',
        concurrency: request.concurrency ?? this.options.defaultConcurrency,
        baseDir: request.baseDir,
        owner: this.owner,
        createdAt,
        startedAt: queued ? null : createdAt,
        triggerKind: request.trigger?.kind ?? null,
        triggerName: request.trigger?.name ?? null,
        steps: request.workflow.workflow.map((s) => s.step),
      });
      if (request.workspace) this.options.workspaces.record(runId, request.workspace);
      if (request.parent) repo.links.link(runId, request.parent, request.inputs ?? {});
    });
    if (plan) {
      repo.transaction(() => {
        for (const [step, output] of plan.carried) repo.updateStep(runId, step, { status: 'succeeded', output, startedAt: createdAt, finishedAt: createdAt });
        for (const step of plan.skipped) repo.updateStep(runId, step, { status: 'skipped', finishedAt: createdAt, error: 'not run: outside the steps this run was started for' });
      });
    }
    // Refused (disk full): nothing of it was kept, and the caller hears why.
    const lost = repo.failedWrite('start the run again');
    if (lost) throw lost;
    const run = repo.getRun(runId)!;
    return { runId, done: queued ? this.enqueue(run) : this.execute(run) };
  }

  /**
   * Runs again the steps of an ended run that did not succeed. With `workflow` (the workflow as
   * saved since), those steps run as it now defines them, and succeeded steps keep their outputs
   * unless they or a step they depend on changed (see resume-plan.ts).
   */
  /** The run a selective run takes its outputs from: the one named, or the workflow's latest. */
  private earlierRun(runId: string | undefined, workflowId: string | null): { runId: string; steps: StepRow[] } | null {
    const { repo } = this.options;
    const id = runId !== undefined ? this.requireRun(runId).id : workflowId !== null ? repo.listRuns(1, workflowId)[0]?.runId : undefined;
    return id === undefined ? null : { runId: id, steps: repo.getSteps(id) };
  }

  resume(runId: string, options: { workflow?: Workflow } = {}): { runId: string; done: Promise<RunStatus> } {
    const { repo } = this.options;
    const run = this.lostWrites.settledBeforeResume(this.requireRun(runId));
    if (this.active.has(run.id) || run.status === 'running') {
      throw new PhotonError('conflict', `run ${run.id} is still running; cancel it first or wait for it to end`);
    }
    if (!isResumableRunStatus(run.status)) {
      throw new PhotonError('conflict', `run ${run.id} ${run.status}; only interrupted, failed or cancelled runs can be resumed`);
    }
    const plan = options.workflow
      ? planResume(run.id, JSON.parse(run.definition) as Workflow, options.workflow, repo.getSteps(run.id))
      : { rerun: [], added: [], dropped: [], changed: [] };
    const rerun = new Set(plan.rerun);
    repo.transaction(() => {
      if (options.workflow) {
        repo.deleteSteps(run.id, plan.dropped);
        repo.addSteps(run.id, plan.added);
        repo.updateRun(run.id, { definition: JSON.stringify(options.workflow) });
        // A fan-out step that changed keeps none of its items' results (unchanged, it keeps those that succeeded).
        for (const step of plan.changed) repo.items.clear(run.id, step);
      }
      for (const step of repo.getSteps(run.id)) {
        if (step.status === 'succeeded' && !rerun.has(step.step)) continue;
        // startedAt stays: the step's duration runs from its first attempt, across executions.
        repo.updateStep(run.id, step.step, { status: 'pending', exitCode: null, error: null, finishedAt: null, nextAttemptAt: null, output: null });
      }
      repo.updateRun(run.id, { status: 'running', finishedAt: null, owner: this.owner });
    });
    const lost = repo.failedWrite();
    if (lost) throw lost;
    return { runId: run.id, done: this.execute(repo.getRun(run.id)!) };
  }

  /**
   * Changes what a run carries besides its steps: its priority, deadline (null removes it) and
   * metadata, kept in its definition as a workflow file has them. A new deadline applies at once.
   */
  update(runId: string, patch: RunUpdate): RunDetail {
    const run = this.requireRun(runId);
    const workflow = JSON.parse(run.definition) as Workflow;
    if (patch.deadline) checkDeadline(patch.deadline);
    const changed: Workflow = { ...workflow };
    if (patch.priority !== undefined) changed.priority = patch.priority;
    if (patch.metadata !== undefined) changed.metadata = patch.metadata;
    if (patch.deadline === null) delete changed.deadline;
    else if (patch.deadline !== undefined) changed.deadline = patch.deadline;
    this.options.repo.updateRun(run.id, { definition: JSON.stringify(changed) });
    this.queue.rerank(run.id, priorityRank(changed.priority));
    if ((this.active.has(run.id) || this.queue.get(run.id)) && patch.deadline !== undefined) {
      this.deadlines.arm(run.id, changed.deadline, (reason) => void this.cancel(run.id, reason));
    }
    this.options.events.emit('run.updated', this.options.repo.summarize(this.options.repo.getRun(run.id)!));
    return this.get(run.id);
  }

  /** Cancels a running or queued run; `reason` is what its stopped steps say (a passed deadline). */
  async cancel(runId: string, reason?: string): Promise<boolean> {
    const run = this.requireRun(runId);
    if (this.queue.get(run.id)) return this.endQueued(run.id, 'cancelled', reason ?? 'cancelled before it started');
    const active = this.active.get(run.id);
    if (!active) return false;
    await active.executor.cancel(reason);
    return true;
  }

  async cancelAll(): Promise<number> {
    const queued = this.queue.ids();
    for (const runId of queued) this.endQueued(runId, 'cancelled', 'cancelled before it started');
    const executors = [...this.active.values()].map((a) => a.executor);
    await Promise.all(executors.map((e) => e.cancel()));
    return executors.length + queued.length;
  }

  /** Leaves one active run `interrupted` (resumable): a sub-workflow's child as its parent is stopped. */
  async interrupt(runId: string): Promise<void> {
    if (this.queue.get(runId)) this.endQueued(runId, 'interrupted');
    await this.active.get(runId)?.executor.interrupt();
  }

  /** Leaves every active run `interrupted` (resumable) and its processes dead. */
  async interruptAll(): Promise<void> {
    // First, so that no queued run starts in a slot the interrupted ones free.
    for (const runId of this.queue.ids()) this.endQueued(runId, 'interrupted');
    await Promise.all([...this.active.values()].map((a) => a.executor.interrupt()));
  }

  /** Resolves when the run ends (immediately for a run that is not active here). */
  async waitFor(runId: string): Promise<RunStatus> {
    const active = this.active.get(runId) ?? this.queue.get(runId);
    return active ? active.done : this.requireRun(runId).status;
  }

  /** An agent finished a step: steps of any run waiting for one of its slots may start. */
  agentSlotFreed(): void {
    // After the current call stack: the executor that freed the slot finishes its own bookkeeping first.
    queueMicrotask(() => {
      for (const { executor } of this.active.values()) executor.wake();
    });
  }

  activeCount(): number {
    return this.active.size;
  }

  get(runId: string): RunDetail {
    const run = this.requireRun(runId);
    const workspace = this.options.workspaces.runWorkspace(run.id);
    return toRunDetail(this.options.repo, run, workspace && { run: workspace, steps: this.options.workspaces.stepWorkspaces(run.id) });
  }

  getStep(runId: string, step: number): StepDetail {
    const detail = this.get(runId);
    const state = detail.steps.find((s) => s.step === step);
    const def = detail.workflow.workflow.find((s) => s.step === step);
    if (!state || !def) throw new PhotonError('not_found', `run ${runId} has no step ${step}`);
    const row = this.options.repo.getStep(detail.runId, step)!;
    return {
      ...toStepState(def, row, this.options.workspaces.stepWorkspace(detail.runId, step)),
      runId: detail.runId,
      ...(def.forEach !== undefined ? { itemHistory: toItemStates(this.options.repo.items.list(detail.runId, step)) } : {}),
      attemptHistory: this.options.repo.getAttempts(detail.runId, step).map((row) => {
        const attempt = toAttemptState(row);
        const live = attempt.finishedAt === null ? this.active.get(detail.runId)?.executor.liveTail(step, attempt.attempt) : undefined;
        return live === undefined ? attempt : { ...attempt, tail: live };
      }),
    };
  }

  timeline(runId: string): RunTimeline {
    return toRunTimeline(this.options.repo, this.requireRun(runId));
  }

  list(query: RunListQuery = {}): RunSummary[] {
    const { limit = 50, workflowId, ...filter } = query;
    return this.options.repo.listRuns(limit, workflowId, filter);
  }

  /** A run by id or unique id prefix. */
  requireRun(runId: string): RunRow {
    const { repo } = this.options;
    const exact = repo.getRun(runId);
    if (exact) return exact;
    const matches = runId.length >= 4 ? repo.findRunIds(runId) : [];
    if (matches.length === 1) return repo.getRun(matches[0]!)!;
    if (matches.length > 1) throw new PhotonError('invalid', `run id "${runId}" is ambiguous; type more of it`);
    throw new PhotonError('not_found', `no run "${runId}"; \`photon runs\` lists recent runs`);
  }

  /** Starts the run now, or queues it when the engine already runs `maxActiveRuns`. */
  private execute(run: RunRow): Promise<RunStatus> {
    // A child run starts at once: queued behind its own parent, which holds a slot, it could wait for ever.
    if (this.slotFree() || this.options.repo.links.parentOf(run.id)) return this.launch(run);
    const { repo } = this.options;
    // A run that never ran has not started; a resumed one keeps when it first started.
    const fresh = repo.getAttempts(run.id).length === 0;
    repo.updateRun(run.id, { status: 'queued', ...(fresh ? { startedAt: null } : {}) });
    return this.enqueue(repo.getRun(run.id)!);
  }

  private slotFree(): boolean {
    return this.active.size < (this.options.maxActiveRuns ?? Infinity);
  }

  /** Puts a run already written `queued` in the queue, and says so. */
  private enqueue(run: RunRow): Promise<RunStatus> {
    this.options.events.emit('run.updated', this.options.repo.summarize(run));
    const { priority, deadline } = JSON.parse(run.definition) as Workflow;
    const waiting = this.queue.add(run.id, run.createdAt, priorityRank(priority));
    this.deadlines.arm(run.id, deadline, (reason) => void this.cancel(run.id, reason));
    return waiting.done;
  }

  /** A slot is free: the waiting runs of highest priority start, the oldest first. */
  private launchNext(): void {
    const { repo } = this.options;
    while (this.slotFree()) {
      const next = this.queue.take();
      if (!next) return;
      const row = repo.getRun(next.runId)!;
      repo.updateRun(row.id, { status: 'running', ...(row.startedAt ? {} : { startedAt: new Date().toISOString() }) });
      next.settle(this.launch(repo.getRun(row.id)!));
    }
  }

  /** Ends a run that is still waiting: its steps never started. */
  private endQueued(runId: string, status: 'cancelled' | 'interrupted', reason?: string): boolean {
    const waiting = this.queue.remove(runId);
    if (!waiting) return false;
    this.deadlines.disarm(runId);
    const { repo } = this.options;
    const finishedAt = new Date().toISOString();
    repo.transaction(() => {
      if (status === 'cancelled') {
        for (const step of repo.getSteps(runId)) {
          if (step.status === 'pending') repo.updateStep(runId, step.step, { status: 'cancelled', finishedAt, error: reason ?? null });
        }
      }
      repo.updateRun(runId, { status, finishedAt });
    });
    this.announceStored(runId);
    waiting.settle(status);
    return true;
  }

  /** The run's steps and summary as stored, for a run whose changes no executor announced. */
  private announceStored(runId: string): void {
    const { repo, events } = this.options;
    for (const step of this.get(runId).steps) events.emit('step.updated', { runId, step });
    events.emit('run.updated', repo.summarize(repo.getRun(runId)!));
  }

  private launch(run: RunRow): Promise<RunStatus> {
    const { repo, events, tools, agents, secrets, terminals, dataDir, baseEnv, killGraceMs, sessions, hosts, gates, budgets, spend } = this.options;
    const workflow = JSON.parse(run.definition) as Workflow;
    const workspaces = this.options.workspaces.forRun(run.id, run.workflowName, workflow);
    const executor = new RunExecutor({ repo, events, tools, agents, secrets, terminals, dataDir, baseEnv, killGraceMs, workspaces, sessions, hosts, gates, budgets, spend, children: this.children }, run, workflow, repo.getSteps(run.id));
    const done = executor.start().then((status) => this.lostWrites.ended(run.id, status)).finally(() => {
      this.active.delete(run.id);
      this.deadlines.disarm(run.id);
      this.launchNext();
    });
    // A resumed run whose deadline passed meanwhile is cancelled at once, saying so.
    this.deadlines.arm(run.id, workflow.deadline, (reason) => void executor.cancel(reason));
    this.active.set(run.id, { executor, done });
    return done;
  }
}
