import type { RunSummary } from '../../../shared/runs.js';
import { historyWriteError, isWriteRefusal, type ScheduleRow, type SchedulesRepository } from '../storage/index.js';
import type { Clock } from './clock.js';
import { nextFireAfter } from './cron.js';
import { noteFailedStart, noteStartedRun, scheduleStarter } from './started-run-note.js';

export type RunTrigger = NonNullable<RunSummary['trigger']>;

export interface SchedulerDeps {
  repo: SchedulesRepository;
  clock: Clock;
  /** Whether this engine is the one that fires (scheduler-lock.ts); asked at every pass. */
  lock: { acquire(): boolean; release(): void };
  /** Starts a run of the saved workflow; resolves with its id, or rejects saying why it could not start. */
  fire(workflowId: string, trigger: RunTrigger): Promise<string>;
  /** Settles when the run has ended: a refused note of it is tried again then. */
  waitForRun(runId: string): Promise<unknown>;
  /** Called at every pass with whether this engine fires, so file watchers follow changes made by other processes. */
  sync?(active: boolean): void;
  log(message: string): void;
  /** A time noticed later than this after it passed counts as missed (the machine slept); 2 minutes by default. */
  graceMs?: number;
  /** The longest wait between passes: schedules added or changed by another process are seen within it; a minute by default. */
  pollMs?: number;
}

/**
 * Fires schedules at their times. Each schedule keeps its next fire time in the database: a time
 * that passed while no engine ran (or the machine slept) is missed, and runs once at the next pass
 * when the schedule says `catchUp`, else is skipped; either way the schedule moves on to its next
 * time after now, so a week away starts one run, not seven.
 */
export class Scheduler {
  private timer: unknown;
  /** Whether this engine held the lock at its last pass. */
  private active = false;
  /**
   * Whether the engine's first pass is done: times that passed before it were missed (no engine of
   * ours ran). One that takes the lock over later, from an engine that just stopped, forgives the
   * usual lateness instead: those times passed while an engine ran, and its last minute is ours.
   */
  private started = false;
  private closed = false;
  /** What the last failed pass said: a failure that lasts is said once, not at every pass. */
  private failure: string | undefined;
  private readonly firing = new Set<Promise<void>>();
  private readonly graceMs: number;
  private readonly pollMs: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.graceMs = deps.graceMs ?? 120_000;
    this.pollMs = deps.pollMs ?? 60_000;
  }

  start(): void {
    this.pass();
  }

  /** A schedule was added, removed or switched on or off: look again now. */
  changed(): void {
    if (!this.closed) this.pass();
  }

  /** Stops firing and waits for the runs being started to be written. */
  async close(): Promise<void> {
    this.closed = true;
    this.deps.clock.clearTimer(this.timer);
    this.deps.sync?.(false);
    await Promise.allSettled([...this.firing]);
    if (this.active) this.deps.lock.release();
    this.active = false;
  }

  private pass(): void {
    this.deps.clock.clearTimer(this.timer);
    let soonest = this.deps.clock.now() + this.pollMs;
    try {
      const taking = this.deps.lock.acquire();
      const firstPass = !this.started;
      this.started = true;
      this.active = taking;
      if (taking) this.fireDue(firstPass);
      this.deps.sync?.(taking);
      for (const schedule of this.deps.repo.listSchedules()) {
        const at = schedule.enabled && schedule.nextFireAt ? Date.parse(schedule.nextFireAt) : Number.NaN;
        if (at < soonest) soonest = at;
      }
      this.failure = undefined;
    } catch (error) {
      // A pass that failed (the disk full, the database busy) is tried again at the next.
      const why = isWriteRefusal(error) ? historyWriteError(this.deps.repo.file, error, 'the schedules are looked at again within a minute').message : error instanceof Error ? error.message : String(error);
      if (why !== this.failure) this.deps.log(`schedules: ${why}`);
      this.failure = why;
    }
    if (this.closed) return;
    this.timer = this.deps.clock.setTimer(() => this.pass(), Math.max(0, soonest - this.deps.clock.now()));
  }

  private fireDue(firstPass: boolean): void {
    const now = this.deps.clock.now();
    for (const schedule of this.deps.repo.listSchedules()) {
      if (!schedule.enabled || schedule.nextFireAt === null) continue;
      const due = Date.parse(schedule.nextFireAt);
      if (due > now) continue;
      const missed = firstPass || now - due > this.graceMs;
      const fires = !missed || schedule.catchUp;
      const next = nextFireAfter(schedule.cron, schedule.timeZone, now);
      const firedAt = new Date(now).toISOString();
      // Claimed by moving it on from the time it was read with: another engine that got there first wins.
      if (!this.deps.repo.advanceSchedule(schedule.id, schedule.nextFireAt, next === null ? null : new Date(next).toISOString(), fires ? { at: firedAt, runId: null } : undefined)) continue;
      if (!fires) {
        const why = this.failure === undefined ? 'Photon was not running (or the machine slept)' : 'Photon could not write its history';
        this.deps.log(`schedule "${schedule.name}" of ${schedule.workflowName}: ${schedule.nextFireAt} passed while ${why}; not run (catch-up is off)`);
        continue;
      }
      this.launch(schedule);
    }
  }

  private launch(schedule: ScheduleRow): void {
    const repo = this.deps.repo;
    const notes = { file: repo.file, log: this.deps.log };
    const starter = scheduleStarter(schedule);
    const started = this.deps
      .fire(schedule.workflowId, { kind: 'schedule', name: schedule.name })
      .then(
        (runId) => noteStartedRun(notes, starter, runId, () => repo.scheduleOutcome(schedule.id, { runId }), () => this.deps.waitForRun(runId)),
        (error: unknown) => {
          const why = error instanceof Error ? error.message : String(error);
          this.deps.log(`${starter.label} could not start a run: ${why}`);
          noteFailedStart(notes, starter, () => repo.scheduleOutcome(schedule.id, { error: why }));
        },
      )
      .finally(() => this.firing.delete(started));
    this.firing.add(started);
  }
}
