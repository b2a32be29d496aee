/**
 * setTimeout for any delay a workflow may hold. Node keeps a timer's delay in 32 bits: from 2^31 ms
 * (24.8 days) on it warns and fires after 1 ms, so a step with a 30-day timeout would time out at
 * once. A longer delay is waited in equal parts: the same timer is re-armed until they add up, so
 * the handle stays an ordinary one that clearTimeout stops at any point.
 */
export const maxTimerMs = 2 ** 31 - 1;

export function longTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  if (!(ms > maxTimerMs)) return setTimeout(callback, ms);
  // Infinity (or a delay past any date) never comes: a timer that never fires, as the user asked.
  const parts = Number.isFinite(ms) ? Math.ceil(ms / maxTimerMs) : Infinity;
  let left = parts;
  const timer: NodeJS.Timeout = setTimeout(() => {
    left--;
    if (left > 0) timer.refresh();
    else callback();
  }, ms / parts || maxTimerMs);
  return timer;
}

/** The latest instant a Date can hold (ECMAScript's limit, 8.64e15 ms after 1970). */
const lastDateMs = 8.64e15;

/** When a timer of `ms` started now comes due, as an ISO date; a delay past the last date reads as that date. */
export function dueAt(ms: number): string {
  return new Date(Math.min(Date.now() + ms, lastDateMs)).toISOString();
}
