import type { ItemCounts, RunDetail, StepState, StepStatus } from '../../../../shared/runs.js';
import { isFinalStepStatus } from '../../../../shared/runs.js';
import { retryPolicyOf, stepTitle, type Workflow } from '../../../../shared/workflow.js';

/** What the progress views know of one step. */
export interface BoardStep {
  step: number;
  title: string;
  maxAttempts: number;
  status: StepStatus;
  attempts: number;
  error: string | null;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  /** When this process saw the current attempt start (for elapsed times). */
  attemptSeenAt: number | null;
  /** A fan-out step's items by state; null for any other step. */
  items: ItemCounts | null;
  /** A ready step held back: a budget waits for the user's OK, or every agent slot is taken. */
  waitingFor: StepState['waitingFor'] | null;
}

export interface BoardCounts {
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  running: number;
  retrying: number;
  pending: number;
  /** Of the pending: held back by a budget waiting for the user's OK, or by the cap on running AI agents. */
  waitingForBudget: number;
  waitingForSlot: number;
}

export interface StepChange {
  current: BoardStep;
  previous: { status: StepStatus; attempts: number };
}

/**
 * The steps of one run as the CLI shows them, kept current from `step.updated` events so the
 * engine never has to compute run-wide counts for the command line.
 */
export class StepBoard {
  private readonly steps = new Map<number, BoardStep>();

  private constructor(workflow: Workflow, states: ReadonlyMap<number, StepState>) {
    for (const def of workflow.workflow) {
      const state = states.get(def.step);
      this.steps.set(def.step, {
        step: def.step,
        title: stepTitle(def),
        maxAttempts: retryPolicyOf(def).maxAttempts,
        status: state?.status ?? 'pending',
        attempts: state?.attempts ?? 0,
        error: state?.error ?? null,
        exitCode: state?.exitCode ?? null,
        startedAt: state?.startedAt ?? null,
        finishedAt: state?.finishedAt ?? null,
        nextAttemptAt: null,
        attemptSeenAt: null,
        items: state?.items ?? null,
        waitingFor: null,
      });
    }
  }

  /** A new run: every step pending. */
  static forNewRun(workflow: Workflow): StepBoard {
    return new StepBoard(workflow, new Map());
  }

  /** A run about to be resumed: its succeeded steps stay, the others go back to pending, as the engine does. */
  static forResume(detail: RunDetail): StepBoard {
    const kept = detail.steps.filter((s) => s.status === 'succeeded');
    return new StepBoard(detail.workflow, new Map(kept.map((s) => [s.step, s])));
  }

  /** Applies a step's new state; undefined when neither its status, its attempt nor its items moved. */
  update(state: StepState): StepChange | undefined {
    const step = this.steps.get(state.step);
    if (!step) return undefined;
    const previous = { status: step.status, attempts: step.attempts };
    const items = state.items ?? null;
    const waitingFor = state.waitingFor ?? null;
    if (previous.status === state.status && previous.attempts === state.attempts && sameCounts(step.items, items) && step.waitingFor === waitingFor) return undefined;
    if (state.status === 'running' && (previous.status !== 'running' || previous.attempts !== state.attempts)) step.attemptSeenAt = Date.now();
    Object.assign(step, {
      status: state.status,
      attempts: state.attempts,
      error: state.error,
      exitCode: state.exitCode,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
      nextAttemptAt: state.nextAttemptAt,
      items,
      waitingFor,
    });
    return { current: step, previous };
  }

  titleOf(step: number): string | undefined {
    return this.steps.get(step)?.title;
  }

  get total(): number {
    return this.steps.size;
  }

  counts(): BoardCounts {
    const counts: BoardCounts = { total: this.steps.size, done: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, running: 0, retrying: 0, pending: 0, waitingForBudget: 0, waitingForSlot: 0 };
    for (const { status, waitingFor } of this.steps.values()) {
      if (status === 'pending' && waitingFor === 'budget') counts.waitingForBudget++;
      if (status === 'pending' && waitingFor === 'agent-cap') counts.waitingForSlot++;
      if (isFinalStepStatus(status)) counts.done++;
      if (status === 'succeeded') counts.succeeded++;
      else if (status === 'failed' || status === 'timed_out') counts.failed++;
      else if (status === 'skipped') counts.skipped++;
      else if (status === 'cancelled') counts.cancelled++;
      else if (status === 'running') counts.running++;
      else if (status === 'retrying') counts.retrying++;
      else counts.pending++;
    }
    return counts;
  }

  /** Steps running or waiting to retry, by step number. */
  active(): BoardStep[] {
    return [...this.steps.values()].filter((s) => s.status === 'running' || s.status === 'retrying').sort((a, b) => a.step - b.step);
  }
}

function sameCounts(a: ItemCounts | null, b: ItemCounts | null): boolean {
  if (a === null || b === null) return a === b;
  return a.total === b.total && a.pending === b.pending && a.running === b.running && a.succeeded === b.succeeded && a.failed === b.failed && a.cancelled === b.cancelled;
}
