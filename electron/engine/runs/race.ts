import type { StepStatus } from '../../../shared/runs.js';
import { isFinalStepStatus } from '../../../shared/runs.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { RunsRepository } from '../storage/index.js';
import type { StepPatch, StepRuntime } from './step-runtime.js';

/**
 * Races (`"race": [3, 4, 5]` on a join step): the join waits for the first of those steps to
 * succeed, the others are cancelled at once ("lost the race to step 4"), and the join reads the
 * winner's output as `{{race.output}}` and its number as `{{race.step}}`.
 *
 * The winner is read from the stored rows, never kept only in memory: it is the member that
 * succeeded first (by its written finish, then by its place in the race), so a run resumed after a
 * crash finds the same winner, and cancels again whatever of the others was left to run.
 */

/** What cancelling the losers needs of the run's executor. */
export interface RaceHost {
  readonly killGraceMs: number;
  runtime(step: number): StepRuntime | undefined;
  /** Takes a step out of the ready queue, if it waits there. */
  unready(step: StepRuntime): void;
  setStepStatus(step: StepRuntime, status: StepStatus, patch?: StepPatch): void;
  /** A step became final: its dependents are looked at again. */
  onStepFinal(step: StepRuntime): void;
}

/** How far a join's race is: undecided, won (by a step), or over with no winner. */
export type RaceState = { decided: false } | { decided: true; winner: number } | { decided: true; winner: null; losers: number[] };

export class Races {
  private readonly joinsByMember = new Map<number, WorkflowStep[]>();

  constructor(
    defs: readonly WorkflowStep[],
    private readonly repo: Pick<RunsRepository, 'getStep'>,
    private readonly runId: string,
  ) {
    for (const def of defs) {
      for (const member of new Set(def.race ?? [])) {
        const joins = this.joinsByMember.get(member) ?? [];
        joins.push(def);
        this.joinsByMember.set(member, joins);
      }
    }
  }

  /** The steps a join races; empty for a step without a race. */
  members(def: WorkflowStep): ReadonlySet<number> {
    return new Set(def.race ?? []);
  }

  /** Where a join's race stands, from its members' current statuses. */
  state(def: WorkflowStep, statusOf: (step: number) => StepStatus | undefined): RaceState {
    const members = [...this.members(def)];
    if (members.length === 0) return { decided: false };
    const winner = this.winnerOf(def);
    if (winner) return { decided: true, winner: winner.step };
    if (members.every((m) => isFinalStepStatus(statusOf(m) ?? 'pending'))) return { decided: true, winner: null, losers: members };
    return { decided: false };
  }

  /** The race's winner and its output, as stored: the member that succeeded first. */
  winnerOf(def: WorkflowStep): { step: number; output: string } | undefined {
    let best: { step: number; output: string; finishedAt: string } | undefined;
    for (const member of this.members(def)) {
      const row = this.repo.getStep(this.runId, member);
      if (row?.status !== 'succeeded') continue;
      const finishedAt = row.finishedAt ?? '';
      // Strictly earlier only: on a tie the one named first in the race keeps it.
      if (!best || finishedAt < best.finishedAt) best = { step: member, output: row.output ?? '', finishedAt };
    }
    return best && { step: best.step, output: best.output };
  }

  /**
   * A step succeeded (or, on resume, had succeeded): in each race it won, the other members still
   * pending, waiting to retry or running are cancelled now, saying who won. Their cancellation
   * neither fails the run nor skips the join.
   */
  succeeded(step: StepRuntime, host: RaceHost): void {
    for (const join of this.joinsByMember.get(step.def.step) ?? []) {
      if (this.winnerOf(join)?.step !== step.def.step) continue;
      for (const member of this.members(join)) {
        const loser = host.runtime(member);
        if (loser && member !== step.def.step) lose(loser, step.def.step, host);
      }
    }
  }
}

function lose(step: StepRuntime, winner: number, host: RaceHost): void {
  if (isFinalStepStatus(step.status) || step.killReason) return;
  const note = `lost the race to step ${winner}`;
  if (step.status === 'running') {
    // Its attempt ends as a cancel does, with this note as its error (see attempt-record.ts).
    step.killReason = 'cancel';
    step.stopNote = note;
    if (step.process) void step.process.kill(host.killGraceMs);
    else step.abandonPreparation?.();
    return;
  }
  clearTimeout(step.timer);
  step.waitingForRetry = false;
  host.unready(step);
  host.setStepStatus(step, 'cancelled', { finishedAt: new Date().toISOString(), nextAttemptAt: null, error: note });
  host.onStepFinal(step);
}
