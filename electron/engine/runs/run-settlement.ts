import { isPhotonError, PhotonError } from '../../../shared/errors.js';
import type { RunStatus } from '../../../shared/runs.js';
import { isDiskFull, type RunRow, type RunsRepository, type WriteFailure } from '../storage/index.js';

/** What the run service does for a run whose writes SQLite refused. */
export interface LostRunHost {
  /** Stops the run's executor when this engine runs it (its end then comes back through `ended`); false when it does not run it. */
  interrupt(runId: string): boolean;
  /** Takes a run out of the queue; returns what tells those waiting for it how it ended. */
  dequeue(runId: string): ((status: RunStatus) => void) | undefined;
  /** Announces the run's steps and summary as the file holds them. */
  announce(runId: string): void;
  /** Closes the run's questions still waiting in the file, saying why; written in the current transaction. */
  closeQuestions(runId: string, reason: string): void;
}

/** How long a settlement SQLite refused too waits before it is tried again. */
const retryMs = 5_000;

/**
 * Runs whose writes SQLite refused (a full disk, an I/O error, the lock held past the busy timeout;
 * see storage/turn-transaction.ts). The writes of that stretch are lost, as a crash at that moment
 * would lose them, and what the run's executor remembers no longer matches the file. So the run
 * is treated as a crash and a recovery at once, in this process: its processes are stopped, and
 * the run is set from what the file holds, as run-recovery.ts sets a run after a crash, except that
 * it ends `failed`, its unfinished steps and attempts saying why and what to do (resumable, like an
 * interrupted run). When even that write is refused it is tried again every few seconds; until it
 * lands the file still says `running`, which is what a restart's recovery ends as `interrupted`.
 */
export class LostWrites {
  /** Runs whose writes were lost, with what they will say, until they are settled. */
  private readonly pending = new Map<string, string>();
  /** Of those, the runs no executor holds any more, waiting for a settlement SQLite refused. */
  private readonly unsettled = new Set<string>();
  private retry: NodeJS.Timeout | undefined;
  /** The disk's reserve was given back to settle a run: made again when a run is resumed (space was freed). */
  private reserveGiven = false;

  constructor(
    private readonly repo: RunsRepository,
    private readonly host: LostRunHost,
  ) {
    repo.onWriteFailure((failure) => this.failed(failure));
  }

  /** A run's executor ended: a run whose writes were lost ends as the file, set right, says. */
  ended(runId: string, status: RunStatus): RunStatus {
    return this.pending.has(runId) ? this.settle(runId) : status;
  }

  /**
   * A run about to be resumed whose settlement SQLite refused (the file still says it runs): tried
   * now rather than at the next retry, and when refused again, refused with why, not "still running".
   */
  settledBeforeResume(run: RunRow): RunRow {
    // Else an engine that stays up would meet the next full disk without it.
    if (this.reserveGiven) this.reserveGiven = !this.repo.keepDiskReserve();
    if (!this.unsettled.has(run.id)) return run;
    this.settle(run.id);
    if (this.unsettled.has(run.id)) throw new PhotonError('unavailable', this.pending.get(run.id)!);
    return this.repo.getRun(run.id)!;
  }

  private failed(failure: WriteFailure): void {
    const fresh: string[] = [];
    for (const runId of failure.owners) {
      if (this.pending.has(runId)) continue;
      // A run refused as it started was never stored: its caller heard why, and there is nothing to stop.
      if (this.repo.getRun(runId) === undefined) this.repo.release(runId);
      else fresh.push(runId);
    }
    // Said once per failure, not per statement: a settlement refused again, or a stretch that held
    // only writes already kept out (a stopped run's), says nothing new.
    if (fresh.length === 0) return;
    console.error(`photon: ${failure.error.message}`);
    for (const runId of fresh) {
      this.pending.set(runId, failure.error.message);
      // Not from inside the write that failed (in the middle of an executor's work).
      queueMicrotask(() => this.stop(runId));
    }
  }

  private stop(runId: string): void {
    if (!this.pending.has(runId) || this.host.interrupt(runId)) return;
    const waiting = this.host.dequeue(runId);
    const status = this.settle(runId);
    waiting?.(status);
  }

  /** Returns the run's status after it: the one a restart's recovery would give it when SQLite refuses this write too. */
  private settle(runId: string): RunStatus {
    const message = this.pending.get(runId)!;
    if (!this.repo.isOpen) return 'interrupted';
    this.repo.release(runId);
    let status: RunStatus | undefined;
    try {
      status = failLostRun(this.repo, runId, message, () => this.host.closeQuestions(runId, message));
      this.repo.commit();
    } catch (error) {
      if (!isPhotonError(error)) throw error;
      // The disk is full: the space kept for this write is given back, and the write tried again.
      if (isDiskFull(error) && this.repo.freeDiskReserve()) {
        this.reserveGiven = true;
        return this.settle(runId);
      }
      // Refused again: its listener has kept the run's writes out until the next try.
      this.unsettled.add(runId);
      this.retryLater();
      return 'interrupted';
    }
    this.pending.delete(runId);
    this.unsettled.delete(runId);
    if (status === undefined) return 'failed';
    this.host.announce(runId);
    return status;
  }

  private retryLater(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      for (const runId of [...this.unsettled]) this.settle(runId);
    }, retryMs);
    // An engine that closes does not wait for it: the next start's recovery ends such a run.
    this.retry.unref();
  }
}

/**
 * The run as a crash and a recovery would leave it, `failed` with `message`: its running
 * attempts and its running or retrying steps fail saying why; steps that never started stay
 * pending; nothing waits for a budget or a slot, and its questions left waiting in the inbox (their
 * closing refused, or lost with the stretch) close saying why. A run already ended is left as it is. Undefined
 * for a run that was never stored (its start was refused: its caller heard why).
 */
function failLostRun(repo: RunsRepository, runId: string, message: string, closeQuestions: () => void): RunStatus | undefined {
  const run = repo.getRun(runId);
  if (!run) return undefined;
  if (run.status !== 'running' && run.status !== 'queued') return run.status;
  const finishedAt = new Date().toISOString();
  repo.transaction(() => {
    for (const attempt of repo.attemptsWithStatus(runId, 'running')) repo.updateAttempt(runId, attempt.step, attempt.attempt, { status: 'failed', finishedAt, error: message });
    for (const step of repo.getSteps(runId)) {
      if (step.status === 'running' || step.status === 'retrying') repo.updateStep(runId, step.step, { status: 'failed', finishedAt, error: message, nextAttemptAt: null, waitingFor: null });
      else if (step.waitingFor) repo.updateStep(runId, step.step, { waitingFor: null });
    }
    repo.items.interrupt(runId);
    closeQuestions();
    repo.updateRun(runId, { status: 'failed', finishedAt });
  });
  return 'failed';
}
