import { producesJson } from './fan-out.js';
import { ConditionError, parseCondition } from './step-condition.js';
import { jsonReferencedSteps } from './template.js';
import type { Workflow } from './workflow.js';

/** A human gate: the run waits for a person's Approve or Reject in the approvals inbox. */
export const gatePlatform = 'approval';

interface Issue {
  path: string;
  message: string;
}

/**
 * The checks of `when`, `output` and `outputSchema`, made before a run: each condition parses and
 * reads only steps the step depends on (directly or not), and only a step that declares
 * `"output": "json"` is read as JSON, by a condition or a template.
 */
export function conditionIssues(workflow: Workflow, isAncestor: (ancestor: number, step: number) => boolean): Issue[] {
  const issues: Issue[] = [];
  const byStep = new Map(workflow.workflow.map((step) => [step.step, step]));
  workflow.workflow.forEach((step, index) => {
    const at = (rest: string) => `workflow[${index}].${rest}`;
    if (step.outputSchema !== undefined && step.output !== 'json') {
      issues.push({ path: at('outputSchema'), message: 'an outputSchema checks a JSON output: add "output": "json" to this step, or remove the schema' });
    }
    for (const ref of jsonReferencedSteps(step.inputs)) {
      if (byStep.get(ref) && !producesJson(byStep.get(ref))) {
        issues.push({ path: at('inputs'), message: `{{steps.${ref}.json…}}: step ${ref} does not declare "output": "json"; add it to step ${ref}, or use {{steps.${ref}.output}}` });
      }
    }
    if (step.platform === gatePlatform) {
      const message = step.inputs.message;
      if (typeof message !== 'string' || message.trim() === '') issues.push({ path: at('inputs.message'), message: 'an approval gate needs a non-empty "message" string: what the person approves' });
    }
    if (step.when === undefined) return;
    let references;
    try {
      references = parseCondition(step.when).references;
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      issues.push({ path: at('when'), message: `${error.message} in "${step.when}"` });
      return;
    }
    const seen = new Set<string>();
    for (const { step: ref, field } of references) {
      if (seen.has(`${ref}.${field}`)) continue;
      seen.add(`${ref}.${field}`);
      if (!byStep.has(ref)) {
        issues.push({ path: at('when'), message: `steps.${ref}.${field}: step ${ref} does not exist` });
      } else if (ref === step.step || !isAncestor(ref, step.step)) {
        issues.push({ path: at('when'), message: `steps.${ref}.${field}: step ${ref} is not an ancestor of step ${step.step}; a condition can only read steps it depends on (add ${ref} to its dependencies)` });
      } else if (field === 'json' && !producesJson(byStep.get(ref))) {
        issues.push({ path: at('when'), message: `steps.${ref}.json: step ${ref} does not declare "output": "json"; add it to step ${ref}, or read steps.${ref}.output` });
      }
    }
  });
  return issues;
}
