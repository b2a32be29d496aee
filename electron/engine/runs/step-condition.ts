import { conditionFalsePrefix, evaluateCondition, parseCondition, statusesRead, type ConditionStep } from '../../../shared/step-condition.js';
import { producesJson } from '../../../shared/fan-out.js';
import { parseJsonOutput } from '../../../shared/typed-output.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { StepRow } from '../storage/index.js';

/**
 * A step's `when`, decided once its dependencies are final. The rule for a dependency that did not
 * succeed (failed, or skipped by its own condition or an ancestor's): the step is skipped as any
 * step is, unless its condition reads that dependency's status (`steps.2.status == "skipped"`), in
 * which case the condition decides. So a fallback step says so, and nothing else runs by surprise.
 */

/** Whether the step waits for its condition despite these dependencies not succeeding. */
export function conditionReadsAll(def: WorkflowStep, unsatisfied: readonly number[]): boolean {
  if (def.when === undefined || unsatisfied.length === 0) return unsatisfied.length === 0;
  let read: Set<number>;
  try {
    read = statusesRead(parseCondition(def.when));
  } catch {
    return false; // Refused before the run; a definition that slipped past is skipped as before.
  }
  return unsatisfied.every((dep) => read.has(dep));
}

/**
 * What the condition decided, from the steps as stored: null to run it, else the ending to write
 * (skipped with the expression, or failed when it cannot be read). Decided from stored rows only, so
 * a run resumed after a crash decides the same.
 */
export function conditionDecision(def: WorkflowStep, rows: readonly StepRow[], defs: ReadonlyMap<number, WorkflowStep>): { status: 'skipped' | 'failed'; error: string } | null {
  if (def.when === undefined) return null;
  try {
    const parsed = parseCondition(def.when);
    const wanted = new Set(parsed.references.map((r) => r.step));
    const steps = new Map<number, ConditionStep>();
    for (const row of rows) {
      if (!wanted.has(row.step)) continue;
      const json = producesJson(defs.get(row.step)) && row.status === 'succeeded' && row.output !== null ? parseJsonOutput(row.output) : undefined;
      steps.set(row.step, { status: row.status, output: row.output, exitCode: row.exitCode, json: json?.ok ? json.value : undefined });
    }
    return evaluateCondition(parsed, steps) ? null : { status: 'skipped', error: `${conditionFalsePrefix}${def.when}` };
  } catch (error) {
    return { status: 'failed', error: `its condition could not be evaluated: ${error instanceof Error ? error.message : String(error)}` };
  }
}
