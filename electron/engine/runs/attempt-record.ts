import type { AttemptStatus, StepStatus } from '../../../shared/runs.js';
import { isFinalStepStatus } from '../../../shared/runs.js';
import type { ExitInfo } from '../terminals/index.js';
import { attemptEnding, type ReadResult } from './attempt-ending.js';
import { attemptFolder, retireAttemptFolder } from './attempt-folder.js';
import type { AttemptOutput } from './attempt-output.js';
import { stepAfterAttempt, toolResultColumns, type StepAfterAttempt } from './attempt-retry.js';
import type { ExecutorContext } from './executor-context.js';
import { dueAt } from './long-timer.js';
import type { StepPatch, StepRuntime } from './step-runtime.js';
import { withTypedOutput } from './typed-output.js';

/** An attempt whose process is over (or never started), as the attempt runner hands it on. */
export interface EndedAttempt {
  attempt: number;
  output: AttemptOutput;
  exit: ExitInfo;
  spawnError?: string;
  read?: ReadResult;
}

/** What the run is doing as the attempt ends: a cancel's reason is the error of the attempts it stopped. */
export interface RunState {
  cancelReason: string | undefined;
  ending: boolean;
}

/** What was written of the attempt, and what its step does next (the executor's to schedule). */
export interface RecordedAttempt extends StepAfterAttempt {
  attemptStatus: AttemptStatus;
  error: string | null;
  /** Settles once the attempt's log is whole on disk and its temp folder kept as a spare or gone: the run must not end before. */
  closing: Promise<void>;
}

/**
 * Writes a (not fan-out) step's ended attempt: judged once (its exit, its tool's result, its
 * declared JSON output, its retry policy), its row and its step's new state in one transaction, so
 * the step's end is never stored without the attempt that made it. The step is not announced here:
 * the executor does, once it has counted the attempt out. The log is closed and the temp folder
 * kept for a later attempt or removed (retireAttemptFolder) after the commit, at the end of the
 * turn, behind the next step's start.
 */
export function recordAttemptEnd(
  ctx: ExecutorContext,
  runId: string,
  step: StepRuntime,
  ended: EndedAttempt,
  run: RunState,
  setStepStatus: (step: StepRuntime, status: StepStatus, patch: StepPatch, announce: boolean) => void,
): RecordedAttempt {
  const { attempt, output, exit, spawnError, read } = ended;
  const finishedAt = new Date().toISOString();
  const reason = step.killReason;
  const result = read?.result;
  // A step declaring a JSON output fails when its output is not that JSON.
  const ending = withTypedOutput(step.def, attemptEnding({ reason, exit, spawnError, read, timeoutMs: step.def.timeout }), result ? result.output : output.output());
  const { status: attemptStatus, exitCode } = ending;
  const error = (reason === 'cancel' ? (step.stopNote ?? run.cancelReason) : undefined) ?? ending.error;
  const next = stepAfterAttempt(step.def, ending, reason, { made: attempt, before: step.attemptsBefore, cannotRetry: step.cannotRetry ?? false, runEnding: run.ending });
  // An AI step's output is the tool's final message, not its event stream; a step that never
  // started produced nothing (Photon's own message about it is its error, and in its log).
  step.output = result ? result.output : spawnError ? '' : output.output();
  if (step.liveOutput === output) step.liveOutput = undefined;

  ctx.repo.transaction(() => {
    ctx.repo.updateAttempt(runId, step.def.step, attempt, {
      status: attemptStatus,
      finishedAt,
      exitCode,
      signal: exit.signal,
      error,
      tail: output.tail(),
      ...toolResultColumns(result),
    });
    setStepStatus(
      step,
      next.stepStatus,
      {
        exitCode,
        output: step.output,
        error,
        finishedAt: isFinalStepStatus(next.stepStatus) ? finishedAt : null,
        nextAttemptAt: next.retryable ? dueAt(next.delay) : null,
      },
      false,
    );
  });
  const folder = attemptFolder(ctx.dataDir, runId, step.def.step, attempt);
  const closing = new Promise<void>((resolve) => ctx.repo.afterCommit(() => void Promise.all([output.close(), retireAttemptFolder(folder)]).then(() => resolve())));
  return { ...next, attemptStatus, error, closing };
}
