import { join } from 'node:path';
import type { StepStatus } from '../../../shared/runs.js';
import type { AgentChoice } from '../agents/index.js';
import type { RunRow } from '../storage/index.js';
import { processIdentityOffThread, type ExitInfo, type TerminalHandle } from '../terminals/index.js';
import { ConflictingResults } from '../workspaces/index.js';
import { attemptEnding, readToolResult, type ReadResult } from './attempt-ending.js';
import { AttemptOutput } from './attempt-output.js';
import { prepareAttempt, startPrepared, type PreparedAttempt } from './attempt-preparation.js';
import { processRecording, recordLater } from './deferred-recording.js';
import type { ExecutorContext } from './executor-context.js';
import { GateAttempt } from './gate-step.js';
import { longTimeout } from './long-timer.js';
import type { OutputBatch } from './output-batch.js';
import { SessionAttempt } from './session-attempt.js';
import { SubWorkflowAttempt, subWorkflowPlatform } from './sub-workflow-step.js';
import type { StepPatch, StepRuntime } from './step-runtime.js';
import { withTypedOutput } from './typed-output.js';

export { processRecording } from './deferred-recording.js';

/** What an attempt needs of its run: its state, its steps' outputs, and where an ended attempt goes. */
export interface AttemptHost {
  /** The run is being cancelled or interrupted. */
  stopping(): boolean;
  /** The step's inputs with their templates rendered from the outputs of the steps before it. */
  inputsOf(step: StepRuntime): Record<string, unknown>;
  setStepStatus(step: StepRuntime, status: StepStatus, patch?: StepPatch, announce?: boolean): void;
  announceStep(step: StepRuntime): void;
  /** The attempt is over and its workspace settled: the run records it, retries or moves on. */
  finishAttempt(step: StepRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult): void;
}

/**
 * One attempt of a step, from its start to its end: written as running, prepared under the step's
 * timeout (and abandoned at once when the run stops), started, its output streamed and its
 * refused credentials watched, its result read, and its worktree's commit made before the run
 * hears it ended.
 */
export class AttemptRunner {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly run: RunRow,
    private readonly output: OutputBatch,
    private readonly host: AttemptHost,
  ) {}

  /** Starts the step's next attempt: written as running, prepared, then started (or ended with why it could not be). */
  launch(step: StepRuntime, choice: AgentChoice | Error): void {
    const runId = this.run.id;
    const number = step.def.step;
    const attempt = step.attempts + 1;
    const startedAt = now();
    const output = new AttemptOutput(join(this.ctx.dataDir, 'runs', runId, `step-${number}`, `attempt-${attempt}.log`));
    const agent = choice instanceof Error ? null : choice.agent;

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
      const platform = choice instanceof Error ? step.def.platform : choice.platform;
      this.ctx.repo.insertAttempt({ runId, step: number, attempt, startedAt, outputPath: output.path, process: null, item: step.item, agentId: step.agentId, platform });
      this.host.setStepStatus(
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
          // A sub-workflow has no agent of its own either: its child's steps have theirs.
          ...(choice instanceof Error || ((choice.platform === 'shell' || choice.platform === subWorkflowPlatform) && step.def.agent === undefined) ? {} : { agentId: step.agentId, agentNote: choice.note }),
        },
        false,
      );
    });
    this.host.announceStep(step);
    // Held from now until the attempt has ended: its agent's slot, and a place under the cap on running AI agents.
    // A fan-out's items hold one place each, told apart by their attempt.
    this.ctx.agents.started(step.agentId, runId, number, choice instanceof Error ? undefined : choice.platform, step.item === undefined ? undefined : attempt);

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

  /** Everything the process needs, found before it starts: its inputs' templates rendered by the run, the rest by its kind. */
  private async prepare(step: StepRuntime, attempt: number, choice: AgentChoice | Error): Promise<PreparedAttempt> {
    if (choice instanceof Error) throw choice;
    const inputs = this.host.inputsOf(step);
    return prepareAttempt(this.ctx, {
      run: this.run,
      step: step.def,
      index: step.index,
      attempt,
      choice,
      inputs,
      workspaceReady: () => this.host.announceStep(step),
      stopped: () => this.host.stopping() || step.killReason !== undefined,
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
    let child: TerminalHandle | SessionAttempt | GateAttempt | SubWorkflowAttempt | undefined;
    let spawnError = preparationError;
    if (prepared?.notice) output.append(`photon: ${prepared.notice}\r\n`);
    if (prepared) {
      try {
        child = startPrepared(this.ctx, prepared, () => step.killReason, () => step.stopNote);
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
    const stopRecording = this.recordProcess(step, attempt, child);
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
      stopRecording();
      step.process = undefined;
      // A session's result is read from its conversation, not from terminal text.
      if (child instanceof SessionAttempt || child instanceof GateAttempt || child instanceof SubWorkflowAttempt) return this.endAttempt(step, attempt, output, exit, undefined, child.read, prepared!.platform);
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

  /**
   * Writes the attempt's process identity (pid and start time) for recovery after a crash, once
   * the process has run for `processRecording.afterMs`: most steps of a big workflow end sooner, and
   * reading /proc for the start time and writing it cost each of them a thread-pool read and a
   * database write. Until it is written, recovery finds the process by its marks (attemptMarks,
   * Linux); where marks cannot be read it is written as soon as the pid is known. Returns what
   * stops a recording not yet made (the process ended).
   */
  private recordProcess(step: StepRuntime, attempt: number, child: NonNullable<StepRuntime['process']>): () => void {
    let cancel: (() => void) | undefined;
    let ended = false;
    const record = (pid: number) =>
      void processIdentityOffThread(pid).then((identity) => {
        if (step.process !== child) return; // Already ended: nothing left to recover.
        try {
          this.ctx.repo.updateAttempt(this.run.id, step.def.step, attempt, { process: identity });
        } catch {
          // The engine closed its database meanwhile: it stops its steps itself.
        }
      });
    // The pid comes once the terminal host has started the process.
    void (('started' in child && child.started) || Promise.resolve(child.info.pid)).then((pid) => {
      if (!pid || ended) return; // Never started, or already ended.
      if (processRecording.afterMs === 0) record(pid);
      else cancel = recordLater(processRecording.afterMs, () => record(pid));
    });
    return () => {
      ended = true;
      cancel?.();
    };
  }

  /**
   * The attempt's process is over (or never started): its workspace commits a success or keeps a
   * failure first, so a dependent starts from the commit; a commit that fails fails the attempt.
   */
  private endAttempt(step: StepRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult, platform?: string): void {
    if (!this.ctx.workspaces.isolated) return this.host.finishAttempt(step, attempt, output, exit, spawnError, read);
    // Judged as finishAttempt will judge it: output that is not its declared JSON is not committed as a success.
    const { status } = withTypedOutput(step.def, attemptEnding({ reason: step.killReason, exit, spawnError, read, timeoutMs: step.def.timeout }), read?.result ? read.result.output : output.output());
    void this.ctx.workspaces
      .finish(step.def, attempt, status === 'succeeded', { agentId: step.agentId, platform: platform ?? step.def.platform })
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
      .then((error) => {
        if (error) output.append(`photon: ${error}\r\n`);
        this.host.finishAttempt(step, attempt, output, exit, spawnError ?? error ?? undefined, read);
      });
  }
}

function now(): string {
  return new Date().toISOString();
}
