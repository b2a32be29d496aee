import { join } from 'node:path';
import type { RunStatus, StepStatus } from '../../../shared/runs.js';
import { isFinalStepStatus } from '../../../shared/runs.js';
import { dependentsOf, remainingPathLengths } from '../../../shared/graph.js';
import { referencedSteps, renderTemplates } from '../../../shared/template.js';
import type { Workflow, WorkflowStep } from '../../../shared/workflow.js';
import type { AgentChoice } from '../agents/index.js';
import { ConflictingResults } from '../workspaces/index.js';
import type { RunRow, StepRow } from '../storage/index.js';
import { processIdentityOffThread, type ExitInfo, type TerminalHandle } from '../terminals/index.js';
import { attemptEnding, readToolResult, type KillReason, type ReadResult } from './attempt-ending.js';
import { attemptFolder, removeAttemptFolder } from './attempt-folder.js';
import { prepareAttempt, startPrepared, type PreparedAttempt } from './attempt-preparation.js';
import { stepAfterAttempt, toolResultColumns } from './attempt-retry.js';
import { dueAt, longTimeout } from './long-timer.js';
import { AttemptOutput } from './attempt-output.js';
import type { ExecutorContext } from './executor-context.js';
import { OutputBatch } from './output-batch.js';
import { RunSummary } from './run-summary.js';
import { toStepState } from './run-view.js';
import { conditionDecision, conditionReadsAll } from './step-condition.js';
import { jsonOutputs, withTypedOutput } from './typed-output.js';
import { GateAttempt } from './gate-step.js';
import { SessionAttempt } from './session-attempt.js';

export type { ExecutorContext } from './executor-context.js';

type Ending = 'cancel' | 'interrupt';

interface StepRuntime {
  def: WorkflowStep;
  index: number;
  status: StepStatus;
  attempts: number;
  /** Attempts made before this execution (a resumed run): each execution gets the full retry policy. */
  attemptsBefore: number;
  output: string | null;
  startedAt: string | null;
  priority: number;
  process?: TerminalHandle | SessionAttempt | GateAttempt;
  /** The running attempt's output: the database gets its tail only when the attempt ends. */
  liveOutput?: AttemptOutput;
  /** Between launch and spawn: tool lookup and keychain reads are under way. */
  preparing: boolean;
  /** Ends the attempt being prepared now, without waiting for what the preparation awaits. */
  abandonPreparation?: () => void;
  /** The saved agent running the current attempt, whose slot it holds. */
  agentId: string | null;
  timer?: NodeJS.Timeout;
  waitingForRetry: boolean;
  killReason?: KillReason;
  /** What the tool's refusal watch said when Photon stopped the attempt for refused credentials. */
  refusal?: string;
  /** The attempt could not start for a reason another attempt would meet again (its dependencies' results conflict). */
  cannotRetry?: boolean;
}

/**
 * Runs one workflow run to its end: starts steps as their dependencies succeed, up to the
 * concurrency limit and longest remaining path first, retries per policy, skips descendants of
 * failures, and writes every transition to the database before announcing it.
 */
export class RunExecutor {
  private readonly steps = new Map<number, StepRuntime>();
  private readonly dependents: Map<number, number[]>;
  private readonly ready: StepRuntime[] = [];
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

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly run: RunRow,
    workflow: Workflow,
    stepRows: readonly StepRow[],
  ) {
    this.done = new Promise((resolveDone) => (this.resolveDone = resolveDone));
    this.output = new OutputBatch(ctx.events, run.id);
    this.summary = new RunSummary(ctx.events, ctx.repo, run.id);
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
    });
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
    this.ready.length = 0;
    const abandoned: (() => void)[] = [];
    for (const step of this.steps.values()) {
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
    let allFinal = true;
    const unsatisfied: number[] = [];
    for (const dep of new Set(step.def.dependencies)) {
      const depStep = this.steps.get(dep)!;
      if (!isFinalStepStatus(depStep.status)) allFinal = false;
      else if (!this.satisfies(depStep)) unsatisfied.push(dep);
    }
    // A condition that reads a dependency's status decides even when that dependency did not succeed.
    if (!conditionReadsAll(step.def, unsatisfied)) {
      this.setStepStatus(step, 'skipped', { finishedAt: now(), error: 'skipped: a step it depends on did not succeed' });
      this.onStepFinal(step);
    } else if (allFinal) {
      // Written (skipped, with the expression) before it is announced; a resumed run decides it from the same rows.
      const decided = step.def.when === undefined ? null : conditionDecision(step.def, this.ctx.repo.getSteps(this.run.id), new Map([...this.steps].map(([n, s]) => [n, s.def])));
      if (!decided) return this.enqueue(step);
      this.setStepStatus(step, decided.status, { finishedAt: now(), error: decided.error });
      this.onStepFinal(step);
    }
  }

  private satisfies(dep: StepRuntime): boolean {
    if (dep.status === 'succeeded') return true;
    return (dep.status === 'failed' || dep.status === 'timed_out') && dep.def.continueOnFailure;
  }

  private enqueue(step: StepRuntime): void {
    // Highest priority at the end, so the next step to start is a pop.
    const rank = (s: StepRuntime) => s.priority * 1e9 - s.def.step;
    let low = 0;
    let high = this.ready.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (rank(this.ready[mid]!) < rank(step)) low = mid + 1;
      else high = mid;
    }
    this.ready.splice(low, 0, step);
  }

  /**
   * Starts ready steps, highest priority first, up to the run's concurrency. A step whose agent has
   * no free slot stays ready (pending) and the ones behind it go first.
   */
  private pump(): void {
    let launched = true;
    while (launched && !this.ending && !this.ended && this.running < this.run.concurrency && this.ready.length > 0) {
      launched = false;
      for (let i = this.ready.length - 1; i >= 0; i--) {
        const step = this.ready[i]!;
        const choice = this.chooseAgent(step);
        if (!(choice instanceof Error) && choice.agent && !this.ctx.agents.hasSlot(choice.agent)) continue;
        this.ready.splice(i, 1);
        // Launching may finish an attempt at once (and pump again): start over from the top.
        this.launch(step, choice);
        launched = true;
        break;
      }
    }
  }

  private chooseAgent(step: StepRuntime): AgentChoice | Error {
    try {
      return this.ctx.agents.choose(step.def);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * The tail of a step's attempt that is still running, for a view opened after it printed (a
   * step that printed once and then waits would otherwise show nothing until it ends).
   */
  liveTail(step: number, attempt: number): string | undefined {
    const runtime = this.steps.get(step);
    return runtime?.liveOutput && runtime.attempts === attempt ? runtime.liveOutput.tail() : undefined;
  }

  private launch(step: StepRuntime, choice: AgentChoice | Error): void {
    const runId = this.run.id;
    const number = step.def.step;
    const attempt = step.attempts + 1;
    const startedAt = now();
    const output = new AttemptOutput(join(this.ctx.dataDir, 'runs', runId, `step-${number}`, `attempt-${attempt}.log`));
    const agent = choice instanceof Error ? null : choice.agent;

    this.running++;
    step.attempts = attempt;
    step.startedAt ??= startedAt;
    step.waitingForRetry = false;
    step.killReason = undefined;
    step.refusal = undefined;
    step.cannotRetry = false;
    step.preparing = true;
    step.agentId = agent?.id ?? null;
    step.liveOutput = output;
    this.ctx.repo.transaction(() => {
      this.ctx.repo.insertAttempt({ runId, step: number, attempt, startedAt, outputPath: output.path, process: null });
      this.ctx.repo.updateAttempt(runId, number, attempt, { agentId: step.agentId, platform: choice instanceof Error ? step.def.platform : choice.platform });
      this.setStepStatus(
        step,
        'running',
        {
          attempts: attempt,
          startedAt: step.startedAt,
          finishedAt: null,
          exitCode: null,
          error: null,
          nextAttemptAt: null,
          // A plain shell step has no agent to explain; an AI step or a named agent does.
          ...(choice instanceof Error || (choice.platform === 'shell' && step.def.agent === undefined) ? {} : { agentId: step.agentId, agentNote: choice.note }),
        },
        false,
      );
    });
    this.announceStep(step);
    if (step.agentId) this.ctx.agents.started(step.agentId, runId, number);

    // The first of the preparation and its abandonment decides; a preparation that answers after
    // the attempt was abandoned starts nothing, and the secrets it read are dropped.
    let settled = false;
    const settle = (prepared: PreparedAttempt | undefined, error?: string, cannotRetry = false) => {
      if (settled) return;
      settled = true;
      step.cannotRetry = cannotRetry;
      step.abandonPreparation = undefined;
      this.spawn(step, attempt, output, prepared, error);
    };
    step.abandonPreparation = () => settle(undefined);

    const timeout = step.def.timeout;
    if (timeout !== undefined) {
      // The limit covers the preparation too: a keychain waiting to be unlocked must not hang the run.
      step.timer = longTimeout(() => {
        step.killReason ??= 'timeout';
        if (step.process) void step.process.kill(this.ctx.killGraceMs);
        else step.abandonPreparation?.();
      }, timeout);
    }
    void this.prepare(step, attempt, choice).then(
      (prepared) => settle(prepared),
      (error: unknown) => settle(undefined, error instanceof Error ? error.message : String(error), error instanceof ConflictingResults),
    );
  }

  /** Everything the process needs, found before it starts: its inputs' templates rendered here, the rest by its kind. */
  private async prepare(step: StepRuntime, attempt: number, choice: AgentChoice | Error): Promise<PreparedAttempt> {
    if (choice instanceof Error) throw choice;
    // Most steps use no template; building the outputs map for each would grow with the graph.
    const outputs = referencedSteps(step.def.inputs).length > 0 ? this.outputsForTemplates() : undefined;
    const inputs = outputs ? renderTemplates(step.def.inputs, outputs, jsonOutputs(outputs, (n) => this.steps.get(n)?.def)) : step.def.inputs;
    return prepareAttempt(this.ctx, {
      run: this.run,
      step: step.def,
      index: step.index,
      attempt,
      choice,
      inputs,
      workspaceReady: () => this.announceStep(step),
      stopped: () => this.ending !== undefined || step.killReason !== undefined,
    });
  }

  private spawn(step: StepRuntime, attempt: number, output: AttemptOutput, prepared: PreparedAttempt | undefined, preparationError?: string): void {
    step.preparing = false;
    const noExit: ExitInfo = { exitCode: null, signal: null };
    if (step.killReason) {
      // Cancelled, interrupted or timed out while it was being prepared: no process is started.
      clearTimeout(step.timer);
      this.endAttempt(step, attempt, output, noExit);
      return;
    }
    let child: TerminalHandle | SessionAttempt | GateAttempt | undefined;
    let spawnError = preparationError;
    if (prepared?.notice) output.append(`photon: ${prepared.notice}\r\n`);
    if (prepared) {
      try {
        child = startPrepared(this.ctx, prepared, () => step.killReason);
      } catch (error) {
        spawnError = error instanceof Error ? error.message : String(error);
      }
    }
    if (!child) {
      clearTimeout(step.timer);
      output.append(`photon: ${spawnError}\r\n`);
      this.endAttempt(step, attempt, output, noExit, spawnError);
      return;
    }
    step.process = child;
    // For recovery after a crash; until it is written, recovery finds the process by its attemptMarks.
    // The pid comes once the terminal host has started the process.
    void (('started' in child && child.started) || Promise.resolve(child.info.pid))
      .then((pid) => (pid ? processIdentityOffThread(pid) : undefined))
      .then((identity) => {
        if (!identity || step.process !== child) return; // Never started, or already ended: nothing left to recover.
        try {
          this.ctx.repo.updateAttempt(this.run.id, step.def.step, attempt, { process: identity });
        } catch {
          // The engine closed its database meanwhile: it stops its steps itself.
        }
      });
    const number = step.def.step;
    const { adapter, terminal } = prepared!;
    // A tool that retries refused credentials by itself is stopped at its first report of them.
    const watch = adapter?.watchRefusal?.(terminal?.env ?? {});
    child.onData((data) => {
      output.append(data);
      this.output.add(number, attempt, data);
      const refused = watch?.(data);
      if (refused && !step.killReason) {
        step.killReason = 'refused';
        step.refusal = refused;
        void step.process?.kill(this.ctx.killGraceMs);
      }
    });
    child.onExit((exit) => {
      clearTimeout(step.timer);
      step.process = undefined;
      // A session's result is read from its conversation, not from terminal text.
      if (child instanceof SessionAttempt || child instanceof GateAttempt) return this.endAttempt(step, attempt, output, exit, undefined, child.read, prepared!.platform);
      if (!adapter) {
        this.endAttempt(step, attempt, output, exit, undefined, undefined, prepared!.platform);
        return;
      }
      // The tool's structured output, read back from the attempt's whole (redacted) terminal text.
      void output
        .fullText()
        .then((text) => readToolResult(adapter, text, exit, terminal?.env ?? {}, step.killReason === 'timeout', step.refusal))
        .then((read) => this.endAttempt(step, attempt, output, exit, undefined, read, prepared!.platform));
    });
  }

  private outputsForTemplates(): Map<number, string> {
    const outputs = new Map<number, string>();
    for (const [number, step] of this.steps) if (step.output !== null && this.satisfies(step)) outputs.set(number, step.output);
    return outputs;
  }

  /**
   * The attempt's process is over (or never started): its workspace commits a success or keeps a
   * failure first, so a dependent starts from the commit; a commit that fails fails the attempt.
   */
  private endAttempt(step: StepRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult, platform?: string): void {
    if (!this.ctx.workspaces.isolated) return this.finishAttempt(step, attempt, output, exit, spawnError, read);
    // Judged as finishAttempt will judge it: output that is not its declared JSON is not committed as a success.
    const { status } = withTypedOutput(step.def, attemptEnding({ reason: step.killReason, exit, spawnError, read, timeoutMs: step.def.timeout }), read?.result ? read.result.output : output.output());
    void this.ctx.workspaces
      .finish(step.def, attempt, status === 'succeeded', { agentId: step.agentId, platform: platform ?? step.def.platform })
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
      .then((error) => {
        if (error) output.append(`photon: ${error}\r\n`);
        this.finishAttempt(step, attempt, output, exit, spawnError ?? error ?? undefined, read);
      });
  }

  private finishAttempt(step: StepRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult): void {
    this.output.flush();
    const finishedAt = now();
    const reason = step.killReason;
    const result = read?.result;
    // A step declaring a JSON output fails when its output is not that JSON.
    const ending = withTypedOutput(step.def, attemptEnding({ reason, exit, spawnError, read, timeoutMs: step.def.timeout }), result ? result.output : output.output());
    const { status: attemptStatus, exitCode } = ending;
    const error = reason === 'cancel' && this.cancelReason ? this.cancelReason : ending.error;
    const { stepStatus, retryable, delay } = stepAfterAttempt(step.def, ending, reason, { made: attempt, before: step.attemptsBefore, cannotRetry: step.cannotRetry ?? false, runEnding: this.ending !== undefined });
    // An AI step's output is the tool's final message, not its event stream; a step that never
    // started produced nothing (Photon's own message about it is its error, and in its log).
    step.output = result ? result.output : spawnError ? '' : output.output();
    if (step.liveOutput === output) step.liveOutput = undefined;

    this.ctx.repo.transaction(() => {
      this.ctx.repo.updateAttempt(this.run.id, step.def.step, attempt, {
        status: attemptStatus,
        finishedAt,
        exitCode,
        signal: exit.signal,
        error,
        tail: output.tail(),
        ...toolResultColumns(result),
      });
      this.setStepStatus(
        step,
        stepStatus,
        {
          exitCode,
          output: step.output,
          error,
          finishedAt: isFinalStepStatus(stepStatus) ? finishedAt : null,
          nextAttemptAt: retryable ? dueAt(delay) : null,
        },
        false,
      );
    });
    // The run ends only once its logs are whole and its attempts' temp folders are gone.
    const closing = Promise.all([output.close(), removeAttemptFolder(attemptFolder(this.ctx.dataDir, this.run.id, step.def.step, attempt))]).then(() => undefined);
    this.closingLogs.add(closing);
    void closing.finally(() => this.closingLogs.delete(closing));
    this.running--;
    this.announceStep(step);

    if (retryable) {
      step.waitingForRetry = true;
      step.timer = longTimeout(() => {
        step.waitingForRetry = false;
        if (this.ending) return;
        this.enqueue(step);
        this.pump();
      }, delay);
    } else if (isFinalStepStatus(stepStatus)) {
      this.onStepFinal(step);
    }
    const agentId = step.agentId;
    step.agentId = null;
    // After the attempt is written, so the agent's record includes it.
    if (agentId) this.ctx.agents.finished(agentId, this.run.id, step.def.step, attemptStatus === 'failed' || attemptStatus === 'timed_out' ? error : null);
    this.pump();
    this.checkDone();
  }

  private onStepFinal(step: StepRuntime): void {
    for (const dependent of this.dependents.get(step.def.step) ?? []) this.evaluate(this.steps.get(dependent)!);
  }

  private checkDone(): void {
    if (this.ended || this.running > 0) return;
    const steps = [...this.steps.values()];
    if (!this.ending && (this.ready.length > 0 || steps.some((s) => s.waitingForRetry))) return;
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
    // The run's end is announced at once, whatever summary was waiting.
    this.summary.now();
    // A host may exit as soon as the run ends (the CLI does): the logs must be whole by then.
    void Promise.all(this.closingLogs).finally(() => this.resolveDone(status));
  }

  private setStepStatus(step: StepRuntime, status: StepStatus, patch: Partial<Omit<StepRow, 'runId' | 'step' | 'status'>> = {}, announce = true): void {
    step.status = status;
    this.ctx.repo.updateStep(this.run.id, step.def.step, { status, ...patch });
    if (announce) this.announceStep(step);
  }

  private announceStep(step: StepRuntime): void {
    if (!this.ctx.events.hasListeners('step.updated')) return this.summary.soon();
    const row = this.ctx.repo.getStep(this.run.id, step.def.step);
    if (row) this.ctx.events.emit('step.updated', { runId: this.run.id, step: toStepState(step.def, row, this.ctx.workspaces.stepState(step.def.step)) });
    this.summary.soon();
  }
}

function now(): string {
  return new Date().toISOString();
}
