import type { ItemStatus } from '../../../shared/runs.js';
import { parseJsonOutput } from '../../../shared/typed-output.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { StepItemRow } from '../storage/index.js';
import type { StepRuntime } from './step-runtime.js';

/**
 * One item of a fan-out step while its run executes. It is a StepRuntime so the attempt runner
 * runs it as it runs any step; `attempts` is the step's count across all its items (an attempt's
 * number, its log and its temp folder are the step's), `tries` the item's own, for its retry policy.
 */
export interface ItemRuntime extends StepRuntime {
  status: ItemStatus;
  item: number;
  value: unknown;
  tries: number;
  /** Tries made before this execution (a resumed run): each execution gets the whole retry policy. */
  triesBefore: number;
  /** Why its latest attempt did not succeed. */
  error: string | null;
}

/** The items of a step as stored, ready to run: those that succeeded keep their output and do not run again. */
export function itemRuntimes(step: StepRuntime, rows: readonly StepItemRow[]): ItemRuntime[] {
  return rows.map((row) => ({
    def: step.def,
    index: step.index,
    status: row.status === 'succeeded' ? 'succeeded' : 'pending',
    attempts: 0,
    attemptsBefore: 0,
    output: row.status === 'succeeded' ? row.output : null,
    startedAt: row.startedAt,
    priority: step.priority,
    preparing: false,
    agentId: null,
    waitingForRetry: false,
    item: row.item,
    value: JSON.parse(row.value) as unknown,
    tries: row.attempts,
    triesBefore: row.attempts,
    error: null,
  }));
}

/**
 * The step's output: a JSON list of its items' outputs in list order, each as the step's readers
 * expect it (the parsed value with `"output": "json"`, else the text), null for an item that did not
 * succeed.
 */
export function fanOutOutput(def: WorkflowStep, items: readonly ItemRuntime[]): string {
  return JSON.stringify(
    items.map((item) => {
      if (item.status !== 'succeeded' || item.output === null) return null;
      if (def.output !== 'json') return item.output;
      const parsed = parseJsonOutput(item.output);
      return parsed.ok ? parsed.value : null;
    }),
  );
}

/** Why a finished fan-out failed: how many items, and the first few with their errors. */
export function fanOutFailure(items: readonly ItemRuntime[]): string | null {
  const failed = items.filter((item) => item.status !== 'succeeded');
  if (failed.length === 0) return null;
  const shown = failed.slice(0, 3).map((item) => `item ${item.item} (${item.error ?? item.status.replace('_', ' ')})`);
  const more = failed.length > shown.length ? `, and ${failed.length - shown.length} more` : '';
  return `${failed.length} of ${items.length} items failed: ${shown.join(', ')}${more}`;
}
