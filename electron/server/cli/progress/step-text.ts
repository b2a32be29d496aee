import { formatDuration } from '../format.js';
import type { ItemCounts } from '../../../../shared/runs.js';
import type { BoardStep } from './step-board.js';

/** `step 3 "Build the app"`, or just `step 3` when the step has no title of its own. */
export function stepName(step: { step: number; title: string }): string {
  return step.title === `Step ${step.step}` ? `step ${step.step}` : `step ${step.step} ${JSON.stringify(step.title)}`;
}

/** `attempt 2/3`, or `attempt 4` once a resumed step runs beyond its policy. */
export function attemptText(step: BoardStep): string {
  return step.maxAttempts > 1 && step.attempts <= step.maxAttempts ? `attempt ${step.attempts}/${step.maxAttempts}` : `attempt ${step.attempts}`;
}

/** A fan-out step's progress: `fan-out 7/20 succeeded, 1 failed, 3 running`. */
export function itemsText(items: ItemCounts): string {
  return `fan-out ${itemCountsText(items)}`;
}

/** `7/20 succeeded, 1 failed, 3 running`: what is not zero besides the succeeded. */
export function itemCountsText(items: ItemCounts): string {
  const rest = [items.failed && `${items.failed} failed`, items.cancelled && `${items.cancelled} cancelled`, items.running && `${items.running} running`].filter(Boolean);
  return `${items.succeeded}/${items.total} succeeded${rest.length ? `, ${rest.join(', ')}` : ''}`;
}

/** What a transition means, in words: `running (attempt 1)`, `failed (exited with code 1)`. */
export function transitionText(step: BoardStep, now = Date.now()): string {
  switch (step.status) {
    case 'running':
      return step.items ? itemsText(step.items) : `running (${attemptText(step)})`;
    case 'retrying': {
      const wait = step.nextAttemptAt ? formatDuration(Math.max(0, Date.parse(step.nextAttemptAt) - now)) : 'soon';
      return `retrying (${attemptText(step)} ${step.error ?? 'failed'}; next attempt in ${wait})`;
    }
    case 'succeeded':
      return step.items ? `succeeded (${durationOf(step)}; ${step.items.total === 1 ? '1 item' : `${step.items.total} items`})` : `succeeded (${durationOf(step)})`;
    case 'failed':
    case 'timed_out':
      return `${step.status === 'failed' ? 'failed' : 'timed out'} (${step.error ?? `exit code ${step.exitCode}`}; ${plural(step.attempts)})`;
    case 'skipped':
      return 'skipped (a step it depends on did not succeed)';
    case 'cancelled':
      return 'cancelled';
    case 'pending':
      if (step.waitingFor === 'budget') return "waiting: a budget is reached, and going on needs your OK (photon approvals)";
      if (step.waitingFor === 'agent-cap') return 'waiting for a free agent slot (as many AI agents run as the cap allows)';
      return 'pending';
  }
}

function durationOf(step: BoardStep): string {
  if (!step.startedAt || !step.finishedAt) return '-';
  return formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt));
}

function plural(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}
