import type { RunStatus, StepStatus } from '../../../shared/runs.js';
import { isFinalStepStatus } from '../../../shared/runs.js';
import { dependentsOf, remainingPathLengths } from '../../../shared/graph.js';
import { hasTemplates, renderTemplates, type TemplateValues } from '../../../shared/template.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { RunRow, StepRow } from '../storage/index.js';
import type { ExitInfo } from '../terminals/index.js';
import type { ReadResult } from './attempt-ending.js';
import type { AttemptOutput } from './attempt-output.js';
import { recordAttemptEnd } from './attempt-record.js';
import { AttemptRunner } from './attempt-runner.js';
import type { ExecutorContext } from './executor-context.js';
import { FanOut } from './fan-out-step.js';
import { FoldersAhead } from './folders-ahead.js';
import { longTimeout } from './long-timer.js';
import { OutputBatch } from './output-batch.js';
import { Races, type RaceHost } from './race.js';
import { ReadyQueue } from './ready-queue.js';
import { RunSummary } from './run-summary.js';
import { StepAdmission } from './step-admission.js';
import { StepAnnouncements } from './step-announcements.js';
import { conditionDecision, conditionReadsAll } from './step-condition.js';
import { satisfiesDependents, type StepPatch, type StepRuntime } from './step-runtime.js';
import { jsonOutputs } from './typed-output.js';

export type { ExecutorContext } from './executor-context.js';

type Ending = 'cancel' | 'interrupt';

/**
 * Runs one workflow run to its end: starts steps as their dependencies succeed, up to the
 * concurrency limit and longest remaining path first, retries per policy, skips descendants of
 * failures, and writes every transition to the database before announcing it.
 */
export class RunExecutor {
  private readonly steps = new Map<number, StepRuntime>();
  private readonly dependents: Map<number, number[]>;
  private readonly ready = new ReadyQueue();
  private running = 0;
  private ending: Ending | undefined;
  private cancelReason: string | undefined;
  private ended = false;
  private readonly done: Promise<RunStatus>;
  private resolveDone!: (status: RunStatus) => void;
  private readonly output: OutputBatch;
  /** Attempt logs still being flushed; a run ends only once they are complete on disk. */
  private readonly closingLogs = new Set<Promise<void>>();
  private readonly summary: RunSummary;
  private readonly attempts: AttemptRunner;
  /** Whether a ready step may start: its agent's slots, its budgets, the engine's cap on running AI agents. */
  private readonly admission: StepAdmission;
  /** Steps with `forEach`: each item an attempt history of its own (fan-out-step.ts). */
  private readonly fanOut: FanOut;
  private readonly races: Races;
  private readonly raceHost: RaceHost;
  /** A sub-workflow's child run: what its parent's step passed it, read by its steps as `{{inputs.NAME}}`. */
  private readonly runInputs: Record<string, unknown>;
  private readonly announcements: StepAnnouncements;
  private readonly foldersAhead: FoldersAhead;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly run: RunRow,
    workflow: Workflow,
    stepRows: readonly StepRow[],
  ) {
    this.done = new Promise((resolveDone) => (this.resolveDone = resolveDone));
    this.output = new OutputBatch(ctx.events, run.id);
    this.summary = new RunSummary(ctx.events, ctx.repo, run.id);
    this.announcements = new StepAnnouncements(ctx, run.id, this.summary);
    this.attempts = new AttemptRunner(ctx, run, this.output, {
      stopping: () => this.ending !== undefined,
      inputsOf: (step) => this.inputsOf(step),
      setStepStatus: (step, status, patch, announce) => this.setStepStatus(step, status, patch, announce),
      announceStep: (step) => this.announceStep(step),
      finishAttempt: (step, attempt, output, exit, spawnError, read) => this.finishAttempt(step, attempt, output, exit, spawnError, read),
    });
    this.fanOut = new FanOut(ctx, run, this.output, workflow, {
      ending: () => this.ending,
      cancelReason: () => this.cancelReason,
      inputsOf: (step, item) => this.inputsOf(step, item),
      setStepStatus: (step, status, patch, announce) => this.setStepStatus(step, status, patch, announce),
      announceStep: (step) => this.announceStep(step),
      enqueue: (step) => this.ready.add(step),
      pump: () => this.wake(),
      released: (step, final) => {
        this.running--;
        if (final) this.onStepFinal(step);
        this.pump();
        this.checkDone();
      },
      ended: (step) => this.onStepFinal(step),
      closing: (done) => {
        this.closingLogs.add(done);
        void done.finally(() => this.closingLogs.delete(done));
      },
    });
    this.races = new Races(workflow.workflow, ctx.repo, run.id);
    this.runInputs = ctx.repo.links.inputsOf(run.id);
    this.raceHost = {
      killGraceMs: ctx.killGraceMs,
      runtime: (n) => this.steps.get(n),
      unready: (step) => this.ready.remove(step),
      setStepStatus: (step, status, patch) => this.setStepStatus(step, status, patch),
      onStepFinal: (step) => this.onStepFinal(step),
    };
    this.admission = new StepAdmission(ctx, run.id, workflow, { announceStep: (step) => this.announceStep(step), wake: () => this.wake() });
    const priorities = remainingPathLengths(workflow.workflow);
    this.dependents = dependentsOf(workflow.workflow);
    const rows = new Map(stepRows.map((row) => [row.step, row]));
    workflow.workflow.forEach((def, index) => {
      const row = rows.get(def.step);
      this.steps.set(def.step, {
        def,
        index,
        status: row?.status ?? 'pending',
        attempts: row?.attempts ?? 0,
        attemptsBefore: row?.attempts ?? 0,
        output: row?.output ?? null,
        // A resumed step's time runs from its first attempt, so its duration spans all of them.
        startedAt: row?.startedAt ?? null,
        priority: priorities.get(def.step) ?? 1,
        preparing: false,
        agentId: null,
        waitingForRetry: false,
      });
      this.summary.counted(row?.status ?? 'pending');
    });
    this.foldersAhead = new FoldersAhead(ctx.dataDir, run.id, this.steps, this.dependents);
    this.needsTools = workflow.workflow.some((def) => def.platform !== 'shell' || def.agent !== undefined);
  }

  /** Steps that run an AI tool or name an agent: the tools must be looked up before the first one starts. */
  private readonly needsTools: boolean;

  get runId(): string {
    return this.run.id;
  }

  /** Starts every step that can start; resolves with the run's final status. */
  start(): Promise<RunStatus> {
    if (!this.needsTools) {
      this.begin();
      return this.done;
    }
    // Choosing an agent ("auto" above all) needs to know which tools are installed.
    void this.ctx.tools
      .list()
      .catch(() => undefined)
      .then(() => {
        // A cancel or an engine shutdown may have ended the run meanwhile.
        if (!this.ended) this.begin();
      });
    return this.done;
  }

  private begin(): void {
    // A resumed run's races that were won before it stopped: their other members do not run again.
    for (const step of this.steps.values()) if (step.status === 'succeeded') this.races.succeeded(step, this.raceHost);
    for (const step of this.steps.values()) this.evaluate(step);
    this.pump();
    this.checkDone();
  }

  /** An agent's slot was freed elsewhere: steps waiting for it may start. */
  wake(): void {
    if (this.ended) return;
    this.pump();
    this.checkDone();
  }

  /** Kills running steps, cancels the rest; the run ends `cancelled`. */
  cancel(reason?: string): Promise<RunStatus> {
    // Said by each step it stops (a deadline that passed); a plain cancel says "cancelled".
    this.cancelReason ??= reason;
    return this.stop('cancel');
  }

  /** For an engine shutting down: kills running steps and leaves the run `interrupted`, resumable. */
  interrupt(): Promise<RunStatus> {
    return this.stop('interrupt');
  }

  private stop(ending: Ending): Promise<RunStatus> {
    if (this.ended || this.ending) return this.done;
    this.ending = ending;
    this.ready.clear();
    this.admission.stop(ending);
    const abandoned: (() => void)[] = [];
    for (const step of this.steps.values()) {
      if (this.fanOut.stop(step, abandoned)) continue;
      if (step.process) {
        step.killReason = ending;
        void step.process.kill(this.ctx.killGraceMs);
      } else if (step.preparing) {
        // Its process is not born yet: the attempt ends now, not when a keychain waiting to be unlocked answers.
        step.killReason = ending;
        if (step.abandonPreparation) abandoned.push(step.abandonPreparation);
      } else if (!isFinalStepStatus(step.status) && step.status !== 'running') {
        clearTimeout(step.timer);
        step.waitingForRetry = false;
        this.setStepStatus(step, ending === 'cancel' ? 'cancelled' : 'pending', {
          nextAttemptAt: null,
          ...(ending === 'cancel' ? { finishedAt: now(), ...(this.cancelReason ? { error: this.cancelReason } : {}) } : {}),
        });
      }
    }
    // After every step is marked: ending the last attempt ends the run.
    for (const abandon of abandoned) abandon();
    this.checkDone();
    return this.done;
  }

  /** A step is ready when every dependency is final and satisfied; skipped when one is final and not. */
  private evaluate(step: StepRuntime): void {
    if (step.status !== 'pending' || this.ending) return;
    // A race's members count as one dependency: satisfied by the first to succeed (see race.ts).
    const racing = this.races.members(step.def);
    const race = this.races.state(step.def, (n) => this.steps.get(n)?.status);
    let allFinal = racing.size === 0 || race.decided;
    const unsatisfied: number[] = race.decided && race.winner === null ? [...race.losers] : [];
    for (const dep of new Set(step.def.dependencies)) {
      if (racing.has(dep)) continue;
      const depStep = this.steps.get(dep)!;
      if (!isFinalStepStatus(depStep.status)) allFinal = false;
      else if (!satisfiesDependents(depStep)) unsatisfied.push(dep);
    }
    // A condition that reads a dependency's status decides even when that dependency did not succeed.
    if (!conditionReadsAll(step.def, unsatisfied)) {
      this.setStepStatus(step, 'skipped', { finishedAt: now(), error: 'skipped: a step it depends on did not succeed' });
      this.onStepFinal(step);
    } else if (allFinal) {
      // Written (skipped, with the expression) before it is announced; a resumed run decides it from the same rows.
      const decided = step.def.when === undefined ? null : conditionDecision(step.def, this.ctx.repo.getSteps(this.run.id), new Map([...this.steps].map(([n, s]) => [n, s.def])));
      if (!decided) return step.def.forEach === undefined ? this.ready.add(step) : this.fanOut.ready(step);
      this.setStepStatus(step, decided.status, { finishedAt: now(), error: decided.error });
      this.onStepFinal(step);
    }
  }

  /**
   * Starts ready steps, highest priority first, up to the run's concurrency. A step whose agent has
   * no free slot, or that waits for a budget or the cap on running AI agents (step-admission.ts),
   * stays ready (pending) and the ones behind it go first.
   */
  private pump(): void {
    let launched = true;
    let refused = false;
    while (launched && !this.ending && !this.ended && this.running < this.run.concurrency && this.ready.size > 0) {
      launched = false;
      for (const step of this.ready.inOrder()) {
        const choice = this.admission.choose(step);
        const admission = this.admission.admit(step, choice);
        if (admission === 'wait') continue;
        this.ready.remove(step);
        if (admission !== 'start') {
          // Past a budget that fails (or that the user would not extend): failed without an attempt (a fan-out: its items not started).
          if (step.def.forEach !== undefined) this.fanOut.refuse(step, admission.fail);
          else {
            this.setStepStatus(step, 'failed', { finishedAt: now(), error: admission.fail });
            this.onStepFinal(step);
          }
          refused = launched = true;
          break;
        }
        // Launching may finish an attempt at once (and pump again): start over from the top.
        this.running++;
        if (step.def.forEach !== undefined) this.fanOut.launch(step, choice);
        else {
          this.attempts.launch(step, choice);
          this.foldersAhead.launched(step, this.ready.size);
        }
        launched = true;
        break;
      }
    }
    if (refused) this.checkDone();
  }

  /**
   * The tail of a step's attempt that is still running, for a view opened after it printed (a
   * step that printed once and then waits would otherwise show nothing until it ends).
   */
  liveTail(step: number, attempt: number): string | undefined {
    const runtime = this.steps.get(step);
    if (runtime?.def.forEach !== undefined) return this.fanOut.liveTail(step, attempt);
    return runtime?.liveOutput && runtime.attempts === attempt ? runtime.liveOutput.tail() : undefined;
  }

  /** `item`: the fan-out item an attempt of the step runs for (`{{item}}`, `{{index}}`). */
  private inputsOf(step: StepRuntime, item?: TemplateValues['item']): Record<string, unknown> {
    // Most steps use no template; building the outputs map for each would grow with the graph.
    if (!hasTemplates(step.def.inputs)) return step.def.inputs;
    const outputs = this.outputsForTemplates();
    return renderTemplates(step.def.inputs, outputs, jsonOutputs(outputs, (n) => this.steps.get(n)?.def), { race: this.races.winnerOf(step.def), inputs: this.runInputs, item });
  }

  private outputsForTemplates(): Map<number, string> {
    const outputs = new Map<number, string>();
    for (const [number, step] of this.steps) if (step.output !== null && satisfiesDependents(step)) outputs.set(number, step.output);
    return outputs;
  }

  private finishAttempt(step: StepRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult): void {
    this.output.flush();
    const run = { cancelReason: this.cancelReason, ending: this.ending !== undefined };
    const { stepStatus, retryable, delay, attemptStatus, error, closing } = recordAttemptEnd(this.ctx, this.run.id, step, { attempt, output, exit, spawnError, read }, run, (s, status, patch, announce) => this.setStepStatus(s, status, patch, announce));
    // The run ends only once its logs are whole and its attempts' temp folders are gone.
    this.closingLogs.add(closing);
    void closing.finally(() => this.closingLogs.delete(closing));
    this.running--;
    this.announceStep(step);

    if (retryable) {
      step.waitingForRetry = true;
      step.timer = longTimeout(() => {
        step.waitingForRetry = false;
        if (this.ending) return;
        this.ready.add(step);
        this.pump();
      }, delay);
    } else if (isFinalStepStatus(stepStatus)) {
      this.onStepFinal(step);
    }
    const agentId = step.agentId;
    step.agentId = null;
    // After the attempt is written, so the agent's record includes it.
    this.ctx.agents.finished(agentId, this.run.id, step.def.step, attemptStatus === 'failed' || attemptStatus === 'timed_out' ? error : null);
    this.pump();
    this.checkDone();
  }

  private onStepFinal(step: StepRuntime): void {
    // Before its dependents are looked at: a race's losers are cancelled as its winner succeeds.
    if (step.status === 'succeeded') this.races.succeeded(step, this.raceHost);
    for (const dependent of this.dependents.get(step.def.step) ?? []) this.evaluate(this.steps.get(dependent)!);
  }

  private checkDone(): void {
    if (this.ended || this.running > 0) return;
    const steps = [...this.steps.values()];
    if (!this.ending && (this.ready.size > 0 || steps.some((s) => s.waitingForRetry))) return;
    if (!this.ending && steps.some((s) => !isFinalStepStatus(s.status))) return;

    const status: RunStatus =
      this.ending === 'cancel'
        ? 'cancelled'
        : this.ending === 'interrupt'
          ? 'interrupted'
          : steps.some((s) => s.status === 'failed' || s.status === 'timed_out')
            ? 'failed'
            : 'succeeded';
    this.ended = true;
    if (!this.ctx.workspaces.isolated) return this.endRun(status);
    // A succeeded run's result branch is made before the run says it succeeded; a run whose final
    // steps' results conflict fails, with the reason in its workspace.
    void this.ctx.workspaces
      .finishRun(status)
      .catch((error: unknown) => {
        console.error(`photon: run ${this.run.id}: ${error instanceof Error ? error.message : String(error)}`);
        return 'failed' as const;
      })
      .then((final) => this.endRun(final));
  }

  private endRun(status: RunStatus): void {
    this.ctx.repo.updateRun(this.run.id, { status, finishedAt: now() });
    // Once stored, and after its steps' last changes are announced: the run's end, whatever summary was waiting.
    this.ctx.repo.afterCommit(() => {
      this.summary.now();
      // A host may exit as soon as the run ends (the CLI does): the logs must be whole and the temp folders gone by then.
      void this.foldersAhead.endOfRun(this.closingLogs).finally(() => this.resolveDone(status));
    });
  }

  private setStepStatus(step: StepRuntime, status: StepStatus, patch: StepPatch = {}, announce = true): void {
    this.summary.moved(step.status, status);
    step.status = status;
    // A step that changes state no longer waits for a budget or a slot.
    const waited = step.waitingFor ? { waitingFor: null } : {};
    step.waitingFor = undefined;
    this.ctx.repo.updateStep(this.run.id, step.def.step, { status, ...patch, ...waited });
    if (announce) this.announceStep(step);
  }

  /** Announced at the end of the turn, once stored (step-announcements.ts). */
  private announceStep(step: StepRuntime): void {
    this.announcements.add(step);
  }
}

function now(): string {
  return new Date().toISOString();
}
