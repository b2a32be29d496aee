import type { ItemCounts, RunSummary, StepState } from '../../shared/runs.js';

/*
 * The words a run's decisions are shown with, on its canvas, its page and the run list: pure, so
 * each is tested as the user reads it.
 */

/** The longest condition an edge shows in full; a longer one is cut, its whole text on hover. */
export const edgeLabelLength = 30;

/** An edge's label for the `when` of the step it leads into: `if steps.1.status == "succeeded"`, cut to fit. */
export function conditionLabel(when: string): string {
  const text = `if ${when.trim().replace(/\s+/g, ' ')}`;
  return text.length <= edgeLabelLength ? text : `${text.slice(0, edgeLabelLength - 1).trimEnd()}…`;
}

/** What a skipped step's node and card say: why it did not run. */
export function skipWords(skipped: StepState['skipped']): { short: string; long: string } {
  return skipped === 'condition'
    ? { short: 'Skipped: condition false', long: 'Skipped: its condition was false.' }
    : { short: 'Skipped: after a failure', long: 'Skipped: a step it depends on did not succeed.' };
}

export interface ItemProgress {
  /** Items that ended, whichever way. */
  done: number;
  total: number;
  /** `7/20`, or what is known before the list is. */
  text: string;
  /** `1 failed`, `2 failed, 1 cancelled`; null when none. */
  problems: string | null;
  /** The whole state in a sentence, for screen readers. */
  spoken: string;
}

/** A fan-out step's items as its node shows them: how many ended of how many, and the ones that went wrong. */
export function itemProgress(items: ItemCounts): ItemProgress {
  const done = items.succeeded + items.failed + items.cancelled;
  const wrong = [items.failed > 0 ? `${items.failed} failed` : null, items.cancelled > 0 ? `${items.cancelled} cancelled` : null].filter((p) => p !== null);
  const problems = wrong.length > 0 ? wrong.join(', ') : null;
  if (items.total === 0) return { done: 0, total: 0, text: 'no items yet', problems, spoken: 'Its list of items is not known yet' };
  const running = items.running > 0 ? `, ${items.running} running` : '';
  return {
    done,
    total: items.total,
    text: `${done}/${items.total}`,
    problems,
    spoken: `${done} of ${items.total} items done${running}${problems ? `, ${problems}` : ''}`,
  };
}

/** Why a ready step has not started yet. */
export function waitingWords(waitingFor: NonNullable<StepState['waitingFor']>): string {
  return waitingFor === 'budget'
    ? 'Waiting for your OK: a budget is reached.'
    : 'Waiting for a free agent slot: as many AI agents run as the cap allows.';
}

/** What started a run, when not a person: `Started by schedule “nightly”`. */
export function triggerWords(trigger: NonNullable<RunSummary['trigger']>): string {
  const what = trigger.kind === 'schedule' ? 'schedule' : trigger.kind === 'file' ? 'file trigger' : 'webhook';
  return `Started by ${what} “${trigger.name}”`;
}
