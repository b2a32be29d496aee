import { jsonAt } from './typed-output.js';
import type { WorkflowStep } from './workflow.js';

/**
 * Fan-out (`forEach`): a step run once per item of a list, its output the JSON list of its items'
 * outputs in order. The list is written in the file, or read from an ancestor's JSON output with a
 * template that is the whole of `forEach` (`"{{steps.2.json.files}}"`).
 */

/** More items than this is a mistake in the list, not a workload: each one is a row and a process. */
export const maxFanOutItems = 10_000;

const listReferencePattern = /^\s*\{\{\s*steps\.(\d+)\.json((?:\.[A-Za-z0-9_$-]+)*)\s*\}\}\s*$/;

/** The ancestor and the path inside its JSON output that a `forEach` template names, or null when it is not one such template. */
export function forEachReference(forEach: string): { step: number; path: string[] } | null {
  const match = listReferencePattern.exec(forEach);
  if (!match) return null;
  return { step: Number(match[1]), path: match[2] ? match[2].slice(1).split('.') : [] };
}

/** Whether a step's output can be read as JSON (`{{steps.N.json…}}`): it declares it, or it fans out (its output is a list). */
export function producesJson(def: Pick<WorkflowStep, 'output' | 'forEach'> | undefined): boolean {
  return def !== undefined && (def.output === 'json' || def.forEach !== undefined);
}

export type ForEachList = { ok: true; items: unknown[] } | { ok: false; message: string };

/**
 * The items of a fan-out step once its ancestors are done: its literal list, or the list at the
 * path of the named ancestor's parsed JSON output (`json` gives it, undefined when that step has
 * none). Anything else is refused with `forEach` and what was found instead.
 */
export function resolveForEach(def: Pick<WorkflowStep, 'forEach'>, json: (step: number) => unknown): ForEachList {
  const forEach = def.forEach;
  if (forEach === undefined) return { ok: false, message: 'forEach: this step does not fan out' };
  if (Array.isArray(forEach)) return sized(forEach, 'forEach');
  const reference = forEachReference(forEach);
  if (!reference) return { ok: false, message: `forEach "${forEach}" is neither a list nor one {{steps.N.json…}} template` };
  const place = `forEach "${forEach.trim()}"`;
  const value = json(reference.step);
  if (value === undefined) return { ok: false, message: `${place}: step ${reference.step} has no JSON output to read the list from` };
  const found = jsonAt(value, reference.path);
  const where = reference.path.length > 0 ? `at "${reference.path.join('.')}" of step ${reference.step}'s output` : `as step ${reference.step}'s whole output`;
  if (found === undefined) return { ok: false, message: `${place}: nothing ${where}; the list must be there` };
  if (!Array.isArray(found)) return { ok: false, message: `${place}: ${describe(found)} ${where}, not a list` };
  return sized(found, place);
}

function sized(items: unknown[], place: string): ForEachList {
  if (items.length > maxFanOutItems) return { ok: false, message: `${place}: ${items.length} items, more than the ${maxFanOutItems} a fan-out runs; split the list` };
  return { ok: true, items };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
}
