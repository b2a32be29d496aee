import type { z } from 'zod';
import { findCycle, formatCycle } from './graph.js';
import { nestingIssue, nulIssues } from './input-limits.js';
import { parseJsonText } from './json-text.js';
import { platformIds, platformInfo } from './platforms.js';
import { referencedSteps } from './template.js';
import { compositionIssues } from './validate-composition.js';
import { conditionIssues, gatePlatform } from './validate-conditions.js';
import { fanOutIssues } from './validate-fan-out.js';
import { subWorkflowPlatform, workflowSchema, type Workflow } from './workflow.js';

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
  /**
   * Freezes the workflow returned and remembers it, so that checking that very object again
   * against the same platforms passes at once: `photon run` checks its file before opening any
   * storage, then hands the result to its engine in-process, whose `runs.start` would otherwise
   * walk every step a second time (about half the check's cost of a 300-step workflow). Frozen, it
   * cannot have changed since; and nothing off a wire is such an object, so a client's workflow is
   * always checked whole.
   */
  freeze?: boolean;
}

/** Workflows checked with `freeze`, and the platforms they were checked against. */
const frozenValid = new WeakMap<object, ReadonlySet<string>>();

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** Parses a workflow file's text (a leading byte order mark allowed); bad JSON is reported with its line and column. */
export function parseWorkflowText(text: string, options: ValidationOptions): ValidationResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, issues: [{ path: '', message: parsed.message }] };
  return validateWorkflow(parsed.value, options);
}

/** Where an issue about the whole workflow (not one of its fields) is placed. */
export const topLevelPath = '(top level)';

/** Checks shape, then the graph: unique steps, existing dependencies, no cycle, runnable platforms, templates. */
export function validateWorkflow(raw: unknown, options: ValidationOptions): ValidationResult {
  if (isFrozenValid(raw, options.runnablePlatforms)) return { ok: true, workflow: raw };
  const result = checkWorkflow(raw, options);
  if (result.ok && options.freeze) {
    deepFreeze(result.workflow);
    frozenValid.set(result.workflow, new Set(options.runnablePlatforms));
  }
  return result;
}

function isFrozenValid(raw: unknown, runnable: ReadonlySet<string>): raw is Workflow {
  const checkedWith = typeof raw === 'object' && raw !== null ? frozenValid.get(raw) : undefined;
  if (checkedWith === undefined || checkedWith.size !== runnable.size) return false;
  for (const platform of runnable) if (!checkedWith.has(platform)) return false;
  return true;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

function checkWorkflow(raw: unknown, options: ValidationOptions): ValidationResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: topLevelPath, message: `a workflow is an object { "name": "…", "workflow": [ …steps ] }, not ${kindOf(raw)}` }] };
  }
  // Before anything walks it: past this depth the workflow could not be stored or sent anyway.
  const tooDeep = nestingIssue(raw);
  if (tooDeep) return { ok: false, issues: [tooDeep] };
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

    // An approval gate and a sub-workflow are Photon's own, not a tool's (checked in validate-conditions.ts, validate-composition.ts).
    if (step.platform === gatePlatform || step.platform === subWorkflowPlatform) {
      // Runnable wherever Photon runs.
    } else if (!platformIds.includes(step.platform)) {
      issues.push({ path: at(index, '.platform'), message: `unknown platform "${step.platform}"; use one of: ${platformIds.join(', ')}` });
    } else if (!options.runnablePlatforms.has(step.platform)) {
      issues.push({
        path: at(index, '.platform'),
        message: `platform "${step.platform}" is not supported by this version of Photon yet; runnable now: ${[...options.runnablePlatforms].join(', ')}`,
      });
    }

    issues.push(...nulIssues(step.inputs, at(index, '.inputs')));
    if (step.cwd !== undefined) issues.push(...nulIssues(step.cwd, at(index, '.cwd')));

    const primary = platformInfo(step.platform)?.primaryInput;
    if (primary === 'command') {
      const command = step.inputs.command;
      if (typeof command !== 'string' || command.trim() === '') {
        issues.push({ path: at(index, '.inputs.command'), message: 'a shell step needs a non-empty "command" string' });
      }
    }
  });
  issues.push(...workspaceIssues(workflow));
  issues.push(...compositionIssues(workflow));
  if (issues.length > 0) return { ok: false, issues };

  const cycle = findCycle(workflow.workflow);
  if (cycle) return { ok: false, issues: [{ path: 'workflow', message: formatCycle(cycle) }] };

  const dependenciesOf = new Map(workflow.workflow.map((step) => [step.step, step.dependencies]));
  workflow.workflow.forEach((step, index) => {
    const referenced = referencedSteps(step.inputs);
    if (referenced.length === 0) return;
    for (const ref of referenced) {
      if (isAncestor(dependenciesOf, ref, step.step)) continue;
      const why = indexByStep.has(ref) ? `step ${ref} is not an ancestor of step ${step.step}` : `step ${ref} does not exist`;
      issues.push({ path: at(index, '.inputs'), message: `{{steps.${ref}.output}}: ${why}; a step can only use the output of steps it depends on` });
    }
  });

  issues.push(...conditionIssues(workflow, (ancestor, step) => isAncestor(dependenciesOf, ancestor, step)));
  issues.push(...fanOutIssues(workflow, (ancestor, step) => isAncestor(dependenciesOf, ancestor, step)));

  return issues.length > 0 ? { ok: false, issues } : { ok: true, workflow };
}

/**
 * Whether `ancestor` is among the steps `step` depends on, directly or not. A direct dependency (a
 * step templating from the one before it) is answered at once, so a long templated chain validates
 * in linear time; otherwise the search stops as soon as it finds it.
 */
function isAncestor(dependenciesOf: ReadonlyMap<number, readonly number[]>, ancestor: number, step: number): boolean {
  const direct = dependenciesOf.get(step) ?? [];
  if (direct.includes(ancestor)) return true;
  const seen = new Set<number>();
  const stack = [...direct];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === ancestor) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const dep of dependenciesOf.get(next) ?? []) if (!seen.has(dep)) stack.push(dep);
  }
  return false;
}

/**
 * The workspace's repository and base as git will read them: a base is a revision (a branch, tag,
 * commit, or `main~2`), never an option or something with spaces; whether it exists is checked
 * against the repository when a run starts.
 */
function workspaceIssues(workflow: Workflow): ValidationIssue[] {
  const workspace = workflow.workspace;
  if (!workspace) return [];
  const issues = [...nulIssues(workspace.repo, 'workspace.repo')];
  const base = workspace.base;
  if (base !== undefined) {
    if (base.trim() === '' || /[\s\x00-\x1f\x7f]/.test(base) || base.startsWith('-')) {
      issues.push({ path: 'workspace.base', message: `"${base}" is not a branch, tag or commit name: it cannot start with "-" or hold spaces or control characters; leave it out to use the repository's current branch` });
    }
  }
  return issues;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

function fromZodIssue(issue: z.core.$ZodIssue): ValidationIssue {
  let path = '';
  for (const key of issue.path) {
    path += typeof key === 'number' ? `[${key}]` : path === '' ? String(key) : `.${String(key)}`;
  }
  return { path, message: issue.message };
}
