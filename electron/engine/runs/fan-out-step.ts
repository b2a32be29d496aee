import { producesJson, resolveForEach } from '../../../shared/fan-out.js';
import { isFinalStepStatus, type StepStatus } from '../../../shared/runs.js';
import { parseJsonOutput } from '../../../shared/typed-output.js';
import type { Workflow, WorkflowStep } from '../../../shared/workflow.js';
import type { AgentChoice } from '../agents/index.js';
import type { RunRow } from '../storage/index.js';
import type { ExitInfo } from '../terminals/index.js';
import { attemptEnding, type ReadResult } from './attempt-ending.js';
import { attemptFolder, retireAttemptFolder } from './attempt-folder.js';
import type { AttemptOutput } from './attempt-output.js';
import { stepAfterAttempt, toolResultColumns } from './attempt-retry.js';
import { AttemptRunner } from './attempt-runner.js';
import type { ExecutorContext } from './executor-context.js';
import { fanOutFailure, fanOutOutput, itemRuntimes, type ItemRuntime } from './fan-out-items.js';
import { longTimeout } from './long-timer.js';
import type { OutputBatch } from './output-batch.js';
import type { StepPatch, StepRuntime } from './step-runtime.js';
import { withTypedOutput } from './typed-output.js';

/** What a fan-out needs of its run's executor, which keeps the run's slots, ready steps and end. */
export interface FanOutHost {
  /** The run is being cancelled or interrupted. */
  ending(): 'cancel' | 'interrupt' | undefined;
  /** What a cancel says (a deadline that passed), if it said anything. */
  cancelReason(): string | undefined;
  /** The step's inputs rendered for one of its items. */
  inputsOf(step: StepRuntime, item: { value: unknown; index: number }): Record<string, unknown>;
  setStepStatus(step: StepRuntime, status: StepStatus, patch?: StepPatch, announce?: boolean): void;
  announceStep(step: StepRuntime): void;
  /** The step has an item to start: it waits among the ready steps for a slot of the run. */
  enqueue(step: StepRuntime): void;
  /** Starts what can start and ends the run if it is over. */
  pump(): void;
  /** An item's attempt is over, written and announced: its slot is free; `final`: the step ended with it. */
  released(step: StepRuntime, final: boolean): void;
  /** The step ended without an attempt (its list refused or empty, or every item done before). */
  ended(step: StepRuntime): void;
  /** A log still being written: the run ends once it is whole. */
  closing(done: Promise<void>): void;
}

interface FanOutState {
  step: StepRuntime;
  items: ItemRuntime[];
  /** Items to start, retries first, then by index. */
  queue: ItemRuntime[];
  /** Items with an attempt between launch and its end. */
  inFlight: Set<ItemRuntime>;
  /** The step waits among the run's ready steps. */
  queued: boolean;
  /** A long list's progress announced lately: the next one waits for this timer (see `announce`). */
  announceTimer?: NodeJS.Timeout;
  announceDue: boolean;
}

/**
 * Past this many items a fan-out's progress is announced at most every `progressIntervalMs` (its
 * end at once). Each announcement reads the step's item counts and its attempts' usage, so one per
 * transition of a long list would cost the square of its length; below it, every transition is.
 */
const announceEveryTransitionUpTo = 100;
export const progressIntervalMs = 50;

/**
 * The fan-out steps of one run (`forEach`). A step's list is resolved when it becomes ready (from
 * stored rows, so a resumed run resolves the same) and written as its items; then each item runs as
 * a step would (the attempt runner, the retry policy and timeout per item), at most `maxParallel` at
 * once: the step re-enters the run's ready steps while it has an item to start, so every item takes
 * one of the run's slots in priority order. Every item runs whatever the others did; the step ends
 * when the last one does, succeeded when all did, and its output is the list of their outputs.
 */
export class FanOut {
  private readonly states = new Map<number, FanOutState>();
  private readonly attempts: AttemptRunner;
  private readonly defs: Map<number, WorkflowStep>;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly run: RunRow,
    private readonly output: OutputBatch,
    workflow: Workflow,
    private readonly host: FanOutHost,
  ) {
    this.defs = new Map(workflow.workflow.map((def) => [def.step, def]));
    this.attempts = new AttemptRunner(ctx, run, output, {
      stopping: () => host.ending() !== undefined,
      inputsOf: (item) => host.inputsOf(this.fanOf(item).step, { value: (item as ItemRuntime).value, index: (item as ItemRuntime).item }),
      // The runner sets a step running only as it launches an attempt.
      setStepStatus: (item, _status, patch) => this.itemStarted(item as ItemRuntime, patch ?? {}),
      announceStep: (item) => this.announce(this.fanOf(item)),
      finishAttempt: (item, attempt, output, exit, spawnError, read) => this.finishAttempt(item as ItemRuntime, attempt, output, exit, spawnError, read),
    });
  }

  /** The step's dependencies are done: its list is resolved and written, and its first items offered. */
  ready(step: StepRuntime): void {
    // It stays pending until its first item starts: a second look at it changes nothing.
    if (this.states.has(step.def.step)) return;
    const list = resolveForEach(step.def, (n) => this.jsonOf(n));
    if (!list.ok) {
      this.host.setStepStatus(step, 'failed', { finishedAt: now(), error: list.message });
      return this.host.ended(step);
    }
    const { repo } = this.ctx;
    const number = step.def.step;
    const values = list.items.map((value) => JSON.stringify(value) ?? 'null');
    repo.transaction(() => {
      const stored = repo.items.list(this.run.id, number);
      // A resumed step whose list is the same keeps its succeeded items; a new list starts over.
      if (stored.length !== values.length || stored.some((row, i) => row.value !== values[i])) repo.items.replace(this.run.id, number, values);
      else for (const row of stored) if (row.status !== 'succeeded') repo.items.update(this.run.id, number, row.item, { status: 'pending', error: null, output: null, finishedAt: null });
    });
    const items = itemRuntimes(step, repo.items.list(this.run.id, number));
    const fan: FanOutState = { step, items, queue: items.filter((item) => item.status === 'pending'), inFlight: new Set(), queued: false, announceDue: false };
    this.states.set(number, fan);
    if (fan.queue.length === 0) {
      repo.transaction(() => this.writeEnd(fan, now()));
      this.host.announceStep(step);
      return this.host.ended(step);
    }
    this.host.announceStep(step);
    this.offer(fan);
  }

  /** The run gave the step a slot: its next item starts. */
  launch(step: StepRuntime, choice: AgentChoice | Error): void {
    const fan = this.states.get(step.def.step)!;
    fan.queued = false;
    const item = fan.queue.shift()!;
    fan.inFlight.add(item);
    item.tries++;
    item.attempts = step.attempts;
    item.error = null;
    this.attempts.launch(item, choice);
    this.offer(fan);
  }

  /**
   * The step's next item may not start (a budget whose onExceed is "fail" is reached): the items not
   * started fail with why, without an attempt; those running finish, then the step ends.
   */
  refuse(step: StepRuntime, reason: string): void {
    const fan = this.states.get(step.def.step)!;
    fan.queued = false;
    const refused = fan.queue.splice(0);
    const finishedAt = now();
    const final = this.over(fan);
    this.ctx.repo.transaction(() => {
      for (const item of refused) {
        item.status = 'failed';
        item.error = reason;
        this.ctx.repo.items.update(this.run.id, step.def.step, item.item, { status: 'failed', error: reason, finishedAt });
      }
      if (final) this.writeEnd(fan, finishedAt);
    });
    this.announceNow(fan);
    if (final) this.host.ended(step);
  }

  /**
   * The run is stopping: every item's process is stopped (its end then ends the step), an item
   * waiting to retry will not. False for a step not yet running: the executor stops it as any other.
   */
  stop(step: StepRuntime, abandoned: (() => void)[]): boolean {
    const fan = this.states.get(step.def.step);
    if (!fan || isFinalStepStatus(step.status)) return false;
    const reason = this.host.ending()!;
    fan.queue.length = 0;
    fan.queued = false;
    if (step.status !== 'running') {
      // Its list is known but no item started: its items end with it, the executor ends the step.
      this.ctx.repo.transaction(() => this.endItems(fan, reason, now()));
      return false;
    }
    for (const item of fan.items) {
      if (item.process) {
        item.killReason = reason;
        void item.process.kill(this.ctx.killGraceMs);
      } else if (item.preparing) {
        item.killReason = reason;
        if (item.abandonPreparation) abandoned.push(item.abandonPreparation);
      } else if (item.waitingForRetry) {
        clearTimeout(item.timer);
        item.waitingForRetry = false;
      }
    }
    if (fan.inFlight.size === 0) {
      this.ctx.repo.transaction(() => this.writeEnd(fan, now()));
      this.announceNow(fan);
    }
    return true;
  }

  /** The tail of an item's attempt still running, for a view opened after it printed. */
  liveTail(step: number, attempt: number): string | undefined {
    const item = this.states.get(step)?.items.find((i) => i.liveOutput && i.attempts === attempt);
    return item?.liveOutput?.tail();
  }

  private fanOf(item: StepRuntime): FanOutState {
    return this.states.get(item.def.step)!;
  }

  /** A step's output as JSON, from its stored row (what a resumed run reads too). */
  private jsonOf(step: number): unknown {
    const row = this.ctx.repo.getStep(this.run.id, step);
    if (!producesJson(this.defs.get(step)) || !row || row.output === null) return undefined;
    const parsed = parseJsonOutput(row.output);
    return parsed.ok ? parsed.value : undefined;
  }

  /** Offers the step a slot when it has an item to start and room under its `maxParallel`. */
  private offer(fan: FanOutState): void {
    if (fan.queued || this.host.ending() || fan.queue.length === 0) return;
    if (fan.inFlight.size >= (fan.step.def.maxParallel ?? Infinity)) return;
    fan.queued = true;
    this.host.enqueue(fan.step);
  }

  /** Written in the runner's transaction with the attempt's row: the item, and the step's count of attempts. */
  private itemStarted(item: ItemRuntime, patch: StepPatch): void {
    const { step } = this.fanOf(item);
    item.status = 'running';
    step.attempts = item.attempts;
    step.startedAt ??= item.startedAt;
    this.ctx.repo.items.update(this.run.id, step.def.step, item.item, { status: 'running', attempts: item.tries, startedAt: item.startedAt, finishedAt: null, error: null });
    this.host.setStepStatus(step, 'running', { ...patch, attempts: step.attempts, startedAt: step.startedAt }, false);
  }

  private finishAttempt(item: ItemRuntime, attempt: number, output: AttemptOutput, exit: ExitInfo, spawnError?: string, read?: ReadResult): void {
    this.output.flush();
    const fan = this.fanOf(item);
    const { step } = fan;
    const def = step.def;
    const finishedAt = now();
    const reason = item.killReason;
    const result = read?.result;
    const ending = withTypedOutput(def, attemptEnding({ reason, exit, spawnError, read, timeoutMs: def.timeout }), result ? result.output : output.output());
    const cancelReason = this.host.cancelReason();
    const error = reason === 'cancel' && cancelReason ? cancelReason : ending.error;
    const after = stepAfterAttempt(def, ending, reason, { made: item.tries, before: item.triesBefore, cannotRetry: item.cannotRetry ?? false, runEnding: this.host.ending() !== undefined });
    item.output = result ? result.output : spawnError ? '' : output.output();
    if (item.liveOutput === output) item.liveOutput = undefined;
    // A cancelled attempt leaves its item cancelled, or pending when Photon stopped (never skipped).
    item.status = after.stepStatus === 'skipped' ? 'cancelled' : after.stepStatus;
    item.error = ending.status === 'succeeded' ? null : error;
    item.waitingForRetry = after.retryable;
    fan.inFlight.delete(item);
    const final = this.over(fan);

    this.ctx.repo.transaction(() => {
      this.ctx.repo.updateAttempt(this.run.id, def.step, attempt, { status: ending.status, finishedAt, exitCode: ending.exitCode, signal: exit.signal, error, tail: output.tail(), ...toolResultColumns(result) });
      this.ctx.repo.items.update(this.run.id, def.step, item.item, {
        status: item.status,
        attempts: item.tries,
        output: item.output,
        error: item.error,
        finishedAt: isFinalStepStatus(item.status) ? finishedAt : null,
      });
      if (final) this.writeEnd(fan, finishedAt);
    });
    this.host.closing(Promise.all([output.close(), retireAttemptFolder(attemptFolder(this.ctx.dataDir, this.run.id, def.step, attempt))]).then(() => undefined));

    if (after.retryable) {
      item.timer = longTimeout(() => {
        item.waitingForRetry = false;
        if (this.host.ending()) return;
        fan.queue.unshift(item);
        this.offer(fan);
        this.host.pump();
      }, after.delay);
    }
    if (final) this.announceNow(fan);
    else this.announce(fan);
    const agentId = item.agentId;
    item.agentId = null;
    // Always: an AI item holds a place under the engine's cap on running agents even without a saved agent.
    this.ctx.agents.finished(agentId, this.run.id, def.step, ending.status === 'failed' || ending.status === 'timed_out' ? error : null, attempt);
    this.offer(fan);
    this.host.released(step, final);
  }

  /** Announces the step's progress now, or, for a long list announced lately, once its interval has passed. */
  private announce(fan: FanOutState): void {
    if (fan.items.length <= announceEveryTransitionUpTo) return this.host.announceStep(fan.step);
    if (fan.announceTimer) {
      fan.announceDue = true;
      return;
    }
    this.host.announceStep(fan.step);
    fan.announceTimer = setTimeout(() => {
      fan.announceTimer = undefined;
      if (!fan.announceDue) return;
      fan.announceDue = false;
      this.announce(fan);
    }, progressIntervalMs);
  }

  /** The step's end (or its stop) is announced at once, and nothing of it after. */
  private announceNow(fan: FanOutState): void {
    clearTimeout(fan.announceTimer);
    fan.announceTimer = undefined;
    fan.announceDue = false;
    this.host.announceStep(fan.step);
  }

  /** Whether the step is over: nothing of it runs, and nothing is left to start (or the run stops). */
  private over(fan: FanOutState): boolean {
    if (fan.inFlight.size > 0) return false;
    if (this.host.ending()) return true;
    return fan.queue.length === 0 && !fan.items.some((item) => item.waitingForRetry);
  }

  /** The run stops: the items that did not end are cancelled, or left pending for a resume. */
  private endItems(fan: FanOutState, stopped: 'cancel' | 'interrupt', finishedAt: string): void {
    const left = stopped === 'cancel' ? 'cancelled' : 'pending';
    for (const item of fan.items) {
      if (item.status === 'succeeded' || (isFinalStepStatus(item.status) && stopped === 'cancel')) continue;
      item.status = left;
      this.ctx.repo.items.update(this.run.id, fan.step.def.step, item.item, { status: left, finishedAt: left === 'cancelled' ? finishedAt : null });
    }
  }

  /**
   * The step's end, in the caller's transaction. Stopped: its unfinished items are cancelled (or
   * pending, for a resume) and so is it. Otherwise it succeeded when every item did, else failed
   * saying which; either way its output is the list, so a step with `continueOnFailure` passes on
   * what its items made.
   */
  private writeEnd(fan: FanOutState, finishedAt: string): void {
    const { step, items } = fan;
    const stopped = this.host.ending();
    if (stopped) {
      this.endItems(fan, stopped, finishedAt);
      const done = items.filter((item) => item.status === 'succeeded').length;
      if (stopped === 'interrupt') return this.host.setStepStatus(step, 'pending', { nextAttemptAt: null }, false);
      return this.host.setStepStatus(step, 'cancelled', { finishedAt, error: this.host.cancelReason() ?? `cancelled with ${done} of ${items.length} items succeeded` }, false);
    }
    step.output = fanOutOutput(step.def, items);
    const failure = fanOutFailure(items);
    this.host.setStepStatus(step, failure ? 'failed' : 'succeeded', { output: step.output, error: failure, exitCode: failure ? null : 0, finishedAt, nextAttemptAt: null }, false);
  }
}

function now(): string {
  return new Date().toISOString();
}
