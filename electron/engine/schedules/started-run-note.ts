import { historyWriteError, isWriteRefusal, type ScheduleRow, type TriggerRow } from '../storage/index.js';

export interface StartedRunNoteDeps {
  /** The database file, for what a refused note says. */
  file: string;
  log(message: string): void;
}

/** What started a run and keeps the note of it: a schedule or a trigger, as the user named it. */
export interface RunStarter {
  /** E.g. `schedule "nightly" of build`. */
  label: string;
  /** Where the note is kept, as the user calls it: `schedule`, `trigger`. */
  holder: string;
}

export function triggerStarter(trigger: Pick<TriggerRow, 'name' | 'workflowName'>): RunStarter {
  return { label: `trigger "${trigger.name}" of ${trigger.workflowName}`, holder: 'trigger' };
}

export function scheduleStarter(schedule: Pick<ScheduleRow, 'name' | 'workflowName'>): RunStarter {
  return { label: `schedule "${schedule.name}" of ${schedule.workflowName}`, holder: 'schedule' };
}

/**
 * Notes `runId`, which `starter` started, on it (`write`). The run has started whatever becomes of
 * this note: SQLite refusing it (the write lock held too long, a full disk) is said once and the
 * note tried again once the run has ended (`ended`), by when that has often passed. Nothing is
 * thrown, so no caller takes a run that started for one that could not (and starts it again).
 */
export function noteStartedRun(deps: StartedRunNoteDeps, starter: RunStarter, runId: string, write: () => void, ended: () => Promise<unknown>): void {
  const say = (why: string) => deps.log(`${starter.label} started run ${runId}, but could not note it on the ${starter.holder}: ${why}`);
  /** Whether to try again: only after the file's refusal. */
  const note = (first: boolean): boolean => {
    try {
      write();
      return false;
    } catch (error) {
      if (!isWriteRefusal(error)) {
        // Not the file's refusal (the storage closing): said, and not tried again.
        say(error instanceof Error ? error.message : String(error));
        return false;
      }
      if (first) say(historyWriteError(deps.file, error, `the ${starter.holder}'s record of it is tried again when the run ends`).message);
      return true;
    }
  };
  if (!note(true)) return;
  const again = () => void note(false);
  void ended().then(again, again);
}

/**
 * Notes on `starter` why its run could not start (`write`). A refused note is said, never thrown:
 * the caller goes on to report the reason the run did not start, which is what the user needs.
 */
export function noteFailedStart(deps: StartedRunNoteDeps, starter: RunStarter, write: () => void): void {
  try {
    write();
  } catch (error) {
    const why = isWriteRefusal(error) ? historyWriteError(deps.file, error, `the ${starter.holder} shows the outcome of its next run`).message : error instanceof Error ? error.message : String(error);
    deps.log(`${starter.label} could not note on the ${starter.holder} why its run did not start: ${why}`);
  }
}
