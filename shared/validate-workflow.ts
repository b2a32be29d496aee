import type { z } from 'zod';
import { findCycle, formatCycle, ancestorsOf } from './graph.js';
import { platformIds, platformInfo } from './platforms.js';
import { referencedSteps } from './template.js';
import { workflowSchema, type Workflow } from './workflow.js';

/** One problem in a workflow, with the place it was found (`workflow[2].dependencies[0]`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; workflow: Workflow }
  | { ok: false; issues: ValidationIssue[] };

export interface ValidationOptions {
  /** Platforms the engine can run now; a known platform outside this set is refused by name. */
  runnablePlatforms: ReadonlySet<string>;
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** Parses a workflow file's text; bad JSON is reported with its line and column. */
export function parseWorkflowText(text: string, options: ValidationOptions): ValidationResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: describeJsonError(text, error) }] };
  }
  return validateWorkflow(raw, options);
}

/** Checks shape, then the graph: unique steps, existing dependencies, no cycle, runnable platforms, templates. */
export function validateWorkflow(raw: unknown, options: ValidationOptions): ValidationResult {
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(fromZodIssue) };
  const workflow = parsed.data;
  const issues: ValidationIssue[] = [];
  const at = (index: number, rest = '') => `workflow[${index}]${rest}`;

  const indexByStep = new Map<number, number>();
  workflow.workflow.forEach((step, index) => {
    const first = indexByStep.get(step.step);
    if (first !== undefined) {
      issues.push({ path: at(index, '.step'), message: `step ${step.step} is already used by workflow[${first}]; step numbers must be unique` });
    } else {
      indexByStep.set(step.step, index);
    }
  });

  workflow.workflow.forEach((step, index) => {
    step.dependencies.forEach((dep, depIndex) => {
      const place = at(index, `.dependencies[${depIndex}]`);
      if (dep === step.step) issues.push({ path: place, message: `step ${dep} cannot depend on itself` });
      else if (!indexByStep.has(dep)) issues.push({ path: place, message: `step ${dep} does not exist` });
    });

    if (!platformIds.includes(step.platform)) {
      issues.push({ path: at(index, '.platform'), message: `unknown platform "${step.platform}"; use one of: ${platformIds.join(', ')}` });
    } else if (!options.runnablePlatforms.has(step.platform)) {
      issues.push({
        path: at(index, '.platform'),
        message: `platform "${step.platform}" is not supported by this version of Photon yet; runnable now: ${[...options.runnablePlatforms].join(', ')}`,
      });
    }

    const primary = platformInfo(step.platform)?.primaryInput;
    if (primary === 'command') {
      const command = step.inputs.command;
      if (typeof command !== 'string' || command.trim() === '') {
        issues.push({ path: at(index, '.inputs.command'), message: 'a shell step needs a non-empty "command" string' });
      }
    }
  });
  if (issues.length > 0) return { ok: false, issues };

  const cycle = findCycle(workflow.workflow);
  if (cycle) return { ok: false, issues: [{ path: 'workflow', message: formatCycle(cycle) }] };

  workflow.workflow.forEach((step, index) => {
    const referenced = referencedSteps(step.inputs);
    if (referenced.length === 0) return;
    const ancestors = ancestorsOf(workflow.workflow, step.step);
    for (const ref of referenced) {
      if (ancestors.has(ref)) continue;
      const why = indexByStep.has(ref) ? `step ${ref} is not an ancestor of step ${step.step}` : `step ${ref} does not exist`;
      issues.push({ path: at(index, '.inputs'), message: `{{steps.${ref}.output}}: ${why}; a step can only use the output of steps it depends on` });
    }
  });

  return issues.length > 0 ? { ok: false, issues } : { ok: true, workflow };
}

function fromZodIssue(issue: z.core.$ZodIssue): ValidationIssue {
  let path = '';
  for (const key of issue.path) {
    path += typeof key === 'number' ? `[${key}]` : path === '' ? String(key) : `.${String(key)}`;
  }
  return { path, message: issue.message };
}

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = errorOffset(text, message);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const reason = message
    .replace(/\s*(in JSON )?at position \d+.*$/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/^JSON\.parse: /, '');
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

function errorOffset(text: string, message: string): number {
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/end of JSON input/.test(message)) return text.length;
  // Some V8 versions (Node 20) name an unexpected token without its position, a trailing comma
  // among them. The shortest prefix of the text that already fails for a reason other than
  // ending early ends with that token.
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsBeforeItsEnd(text.slice(0, mid))) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

function failsBeforeItsEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/end of JSON input/.test(message)) return false;
    const position = /position (\d+)/.exec(message);
    return !position || Number(position[1]) < prefix.length;
  }
}
