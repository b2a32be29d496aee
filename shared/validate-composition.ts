import { namedReferences } from './template.js';
import { subWorkflowPlatform, type Workflow } from './workflow.js';

interface Issue {
  path: string;
  message: string;
}

/**
 * The checks of races and sub-workflow steps made before a run, each at its place: a race names
 * at least two distinct steps, each one of the join step's dependencies; only a join step reads
 * `{{race.…}}`; a sub-workflow step names the saved workflow it runs. Whether that workflow exists
 * and whether workflows call each other in a cycle needs the saved ones: see the engine's
 * runs/sub-workflow-plan.ts, checked when a run starts.
 */
export function compositionIssues(workflow: Workflow): Issue[] {
  const issues: Issue[] = [];
  const exists = new Set(workflow.workflow.map((step) => step.step));
  workflow.workflow.forEach((step, index) => {
    const at = (rest: string) => `workflow[${index}].${rest}`;
    if (step.race !== undefined) {
      const seen = new Set<number>();
      step.race.forEach((member, i) => {
        const place = at(`race[${i}]`);
        if (seen.has(member)) issues.push({ path: place, message: `step ${member} is named twice in the race` });
        else if (member === step.step) issues.push({ path: place, message: `step ${member} cannot race to join itself` });
        else if (!exists.has(member)) issues.push({ path: place, message: `step ${member} does not exist` });
        else if (!step.dependencies.includes(member)) {
          issues.push({ path: place, message: `step ${member} is not among step ${step.step}'s dependencies; a race joins steps it depends on: add ${member} to "dependencies"` });
        }
        seen.add(member);
      });
      if (seen.size < 2) issues.push({ path: at('race'), message: 'a race needs at least two different steps; with one, make it a plain dependency' });
    } else if (namedReferences(step.inputs).race.length > 0) {
      const name = namedReferences(step.inputs).race[0]!;
      issues.push({ path: at('inputs'), message: `{{${name}}}: step ${step.step} has no "race"; only a race's join step has a winner to read` });
    }
    if (step.platform === subWorkflowPlatform) {
      const name = step.inputs.workflow;
      if (typeof name !== 'string' || name.trim() === '') {
        issues.push({ path: at('inputs.workflow'), message: 'a sub-workflow step needs "workflow": the id or name of a saved workflow to run' });
      } else if (name.includes('{{')) {
        // Known before the run, so a missing workflow or a cycle is refused before anything starts.
        issues.push({ path: at('inputs.workflow'), message: `"${name}" is a template; name the saved workflow itself (its id or name), and pass the values it needs as other inputs` });
      }
    }
  });
  return issues;
}
