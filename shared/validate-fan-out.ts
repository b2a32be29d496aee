import { forEachReference } from './fan-out.js';
import { itemReferences, referencedSteps } from './template.js';
import type { Workflow } from './workflow.js';

interface Issue {
  path: string;
  message: string;
}

/**
 * The checks of `forEach`, `maxParallel` and the item templates, made before a run: a list
 * template names one ancestor whose output is JSON, `maxParallel` comes with a `forEach`, and only
 * a fan-out step's inputs read `{{item}}` and `{{index}}` (`{{item.field}}` only of object items,
 * where the list is written in the file).
 */
export function fanOutIssues(workflow: Workflow, isAncestor: (ancestor: number, step: number) => boolean): Issue[] {
  const issues: Issue[] = [];
  const byStep = new Map(workflow.workflow.map((step) => [step.step, step]));
  workflow.workflow.forEach((step, index) => {
    const at = (rest: string) => `workflow[${index}].${rest}`;
    step.race?.forEach((member, i) => {
      if (byStep.get(member)?.forEach !== undefined) {
        issues.push({ path: at(`race[${i}]`), message: `step ${member} fans out; a race stops its losers as single processes, so race steps that run once, and fan out after the race` });
      }
    });
    const uses = itemReferences(step.inputs);
    if (step.forEach === undefined) {
      if (step.maxParallel !== undefined) {
        issues.push({ path: at('maxParallel'), message: 'maxParallel limits how many items of a fan-out run at once: add "forEach" to this step, or remove maxParallel' });
      }
      const name = uses.index && !uses.item ? '{{index}}' : uses.paths.length > 0 ? `{{item.${uses.paths[0]!.join('.')}}}` : '{{item}}';
      if (uses.item || uses.index) {
        issues.push({ path: at('inputs'), message: `${name}: step ${step.step} has no "forEach"; only a fan-out step runs once per item: add "forEach" (a list, or "{{steps.N.json.path}}"), or remove ${name}` });
      }
      return;
    }
    if (workflow.workspace && workflow.workspace.isolation !== 'none') {
      issues.push({ path: at('forEach'), message: 'a fan-out step cannot run in a workflow with a "workspace" yet: its items would each commit to the one worktree of the step; use "isolation": "none", or one step per item' });
    }
    if (step.race !== undefined) issues.push({ path: at('forEach'), message: 'a race\'s join step cannot fan out: it starts once, with the winner\'s output; fan out in a step after it' });
    if (Array.isArray(step.forEach)) {
      if (uses.paths.length > 0) {
        const plain = step.forEach.findIndex((item) => item === null || typeof item !== 'object');
        if (plain !== -1) {
          issues.push({
            path: at(`forEach[${plain}]`),
            message: `{{item.${uses.paths[0]!.join('.')}}} reads a field of each item, and this item is ${JSON.stringify(step.forEach[plain])}, not an object; make every item an object, or use {{item}}`,
          });
        }
      }
      return;
    }
    const text = step.forEach;
    const reference = forEachReference(text);
    if (!reference) {
      const hint = referencedSteps(text).length > 0 ? ' (a list comes from JSON: {{steps.N.output}} is text; declare "output": "json" on step N and read {{steps.N.json…}})' : '';
      issues.push({ path: at('forEach'), message: `"${text}" is not a list: write a JSON list ([…]) or one template naming an ancestor's JSON list, like "{{steps.2.json.files}}"${hint}` });
      return;
    }
    const source = byStep.get(reference.step);
    if (!source) issues.push({ path: at('forEach'), message: `{{steps.${reference.step}.json…}}: step ${reference.step} does not exist` });
    else if (reference.step === step.step || !isAncestor(reference.step, step.step)) {
      issues.push({ path: at('forEach'), message: `{{steps.${reference.step}.json…}}: step ${reference.step} is not an ancestor of step ${step.step}; the list must be known when it starts: add ${reference.step} to its dependencies` });
    } else if (source.output !== 'json' && source.forEach === undefined) {
      issues.push({ path: at('forEach'), message: `{{steps.${reference.step}.json…}}: step ${reference.step} does not declare "output": "json"; add it to step ${reference.step}, so its output is read as JSON` });
    }
  });
  return issues;
}
