/**
 * A run's deadline (the workflow's `deadline`, an ISO 8601 date): a run still going when it passes
 * is cancelled, its unfinished steps saying why. A deadline that is not a date, or has passed
 * already, is refused when the run starts or the deadline is changed, not found out at the end.
 */
import { PhotonError } from '../../../shared/errors.js';
import { longTimeout } from './long-timer.js';

/** The deadline in epoch ms; refused (naming the field) when it is not a date or lies in the past. */
export function checkDeadline(deadline: string | undefined, now = Date.now()): number | undefined {
  if (deadline === undefined) return undefined;
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) throw new PhotonError('invalid', `deadline: "${deadline}" is not a date; write it as ISO 8601, e.g. 2026-12-31T18:00:00Z`, { issues: [{ path: 'deadline', message: 'not an ISO 8601 date' }] });
  if (at <= now) throw new PhotonError('invalid', `deadline: ${deadline} has already passed; give a later one`, { issues: [{ path: 'deadline', message: 'already passed' }] });
  return at;
}

export function deadlineReason(deadline: string): string {
  return `cancelled: the operation's deadline (${deadline}) passed`;
}

export class Deadlines {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Cancels the run through `cancel` when its deadline passes (at once when it already has). */
  arm(runId: string, deadline: string | undefined, cancel: (reason: string) => void): void {
    this.disarm(runId);
    if (deadline === undefined) return;
    const at = Date.parse(deadline);
    if (Number.isNaN(at)) return;
    const timer = longTimeout(() => {
      this.timers.delete(runId);
      cancel(deadlineReason(deadline));
    }, Math.max(0, at - Date.now()));
    this.timers.set(runId, timer);
  }

  disarm(runId: string): void {
    clearTimeout(this.timers.get(runId));
    this.timers.delete(runId);
  }
}
