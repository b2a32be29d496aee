import { historyWriteError, isWriteRefusal, type SchedulesRepository, type TriggerRow } from '../storage/index.js';

export interface TriggerRunNoteDeps {
  repo: SchedulesRepository;
  log(message: string): void;
}

/**
 * Notes `runId`, which the trigger started at `at`, as its last run. The run has started whatever
 * becomes of this note: SQLite refusing it (the write lock held too long, a full disk) is said once
 * and the note tried again once the run has ended (`ended`), by when that has often passed. Nothing is
 * thrown, so no caller takes a run that started for one that could not (and starts it again).
 */
export function noteTriggerRun(deps: TriggerRunNoteDeps, trigger: TriggerRow, at: string, runId: string, ended: () => Promise<unknown>): void {
  const say = (why: string) => deps.log(`trigger "${trigger.name}" of ${trigger.workflowName} started run ${runId}, but could not note it on the trigger: ${why}`);
  /** Whether to try again: only after the file's refusal. */
  const note = (first: boolean): boolean => {
    try {
      deps.repo.triggerFired(trigger.id, at, { runId });
      return false;
    } catch (error) {
      if (!isWriteRefusal(error)) {
        // Not the file's refusal (the storage closing): said, and not tried again.
        say(error instanceof Error ? error.message : String(error));
        return false;
      }
      if (first) say(historyWriteError(deps.repo.file, error, "the trigger's record of it is tried again when the run ends").message);
      return true;
    }
  };
  if (!note(true)) return;
  const again = () => void note(false);
  void ended().then(again, again);
}
