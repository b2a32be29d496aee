import type { AttemptState, RunStatus, StepState } from '../../shared/runs.js';
import type { AnyStatus } from './status.js';

/**
 * The status a step or attempt is shown with. The engine records an attempt that Photon's stop
 * cut short as `cancelled` (error "interrupted: ...") and puts its step back to `pending` so a
 * resume runs it; shown as those, the same attempt read "Pending" on its node and "Cancelled" in
 * the timeline. Both say "Interrupted" here, as the run does.
 */
export function shownStepStatus(runStatus: RunStatus | undefined, step: Pick<StepState, 'status' | 'attempts'>): AnyStatus {
  if (runStatus === 'interrupted' && step.status === 'pending' && step.attempts > 0) return 'interrupted';
  return step.status;
}

export function shownAttemptStatus(attempt: Pick<AttemptState, 'status' | 'error'>): AnyStatus {
  if (attempt.status === 'cancelled' && attempt.error?.startsWith('interrupted')) return 'interrupted';
  return attempt.status;
}
