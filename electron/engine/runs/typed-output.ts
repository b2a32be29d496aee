import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import { producesJson } from '../../../shared/fan-out.js';
import { parseJsonOutput } from '../../../shared/typed-output.js';
import type { WorkflowStep } from '../../../shared/workflow.js';

/**
 * Checks a succeeded attempt of a step with `"output": "json"`: its output must parse, and match
 * the step's `outputSchema` if it has one. Returns why it does not (the attempt then fails, with the
 * parse position or the JSON path), or null.
 */
export function typedOutputError(def: WorkflowStep, output: string): string | null {
  if (def.output !== 'json') return null;
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return parsed.message;
  if (def.outputSchema === undefined) return null;
  let validate: ValidateFunction;
  try {
    validate = compiled(def.outputSchema);
  } catch (error) {
    return `outputSchema is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (validate(parsed.value)) return null;
  const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath === '' ? '(the whole output)' : e.instancePath} ${e.message ?? 'does not match'}`);
  return `the output does not match its outputSchema: ${problems.join('; ')}`;
}

// One validator for all steps: compiling a schema costs more than checking against it, and a run
// of a fan-out checks the same one many times. Loaded at the first schema: most runs have none, and
// loading it cost `photon run` about 18 ms at every start (bench/cli-start.bench.ts).
let ajv: Ajv | undefined;
const cache = new WeakMap<object, ValidateFunction>();

function validator(): Ajv {
  if (!ajv) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new AjvClass({ allErrors: true, strict: false });
  }
  return ajv;
}

function compiled(schema: Record<string, unknown>): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    validate = validator().compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** A succeeded attempt whose output is not the JSON it declares fails instead, and may be retried (an AI may answer better). */
export function withTypedOutput<T extends { status: string; error: string | null; mayRetry: boolean }>(def: WorkflowStep, ending: T, output: string): T {
  if (ending.status !== 'succeeded') return ending;
  const error = typedOutputError(def, output);
  return error ? { ...ending, status: 'failed', error, mayRetry: true } : ending;
}

/** The parsed JSON outputs of the steps that declare them (and of fan-out steps, whose output is a list), for `{{steps.N.json.path}}`. */
export function jsonOutputs(outputs: ReadonlyMap<number, string>, defOf: (step: number) => WorkflowStep | undefined): Map<number, unknown> {
  const values = new Map<number, unknown>();
  for (const [step, text] of outputs) {
    if (!producesJson(defOf(step))) continue;
    const parsed = parseJsonOutput(text);
    if (parsed.ok) values.set(step, parsed.value);
  }
  return values;
}
