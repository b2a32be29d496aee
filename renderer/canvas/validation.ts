import { validateWorkflow } from '../../shared/validate-workflow.js';
import { stepOf, toWorkflow, type CanvasDoc } from './graph-model.js';

/** Validation problems placed where the user sees them: per step and field, or for the whole workflow. */
export interface CanvasIssues {
  /** Step number → field (`inputs.command`, `timeout`, `retryPolicy.maxAttempts`, `inputs`, …) → message. */
  byStep: Record<number, Record<string, string>>;
  general: string[];
  count: number;
}

export const noIssues: CanvasIssues = { byStep: {}, general: [], count: 0 };

/** The engine's own checks (shared validateWorkflow) on what the canvas would save. */
export function validateCanvas(doc: Pick<CanvasDoc, 'meta' | 'nodes'>, runnablePlatforms: readonly string[]): CanvasIssues {
  const result = validateWorkflow(toWorkflow(doc), { runnablePlatforms: new Set(runnablePlatforms) });
  if (result.ok) return noIssues;
  const issues: CanvasIssues = { byStep: {}, general: [], count: result.issues.length };
  for (const issue of result.issues) {
    const match = /^workflow\[(\d+)\](?:\.(.*))?$/.exec(issue.path);
    const node = match ? doc.nodes[Number(match[1])] : undefined;
    if (!match || !node) {
      issues.general.push(issue.path && issue.path !== 'workflow' ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    const field = (match[2] ?? 'step').replace(/\[\d+\]$/, '');
    const byField = (issues.byStep[stepOf(node)] ??= {});
    byField[field] = byField[field] ? `${byField[field]} ${issue.message}` : issue.message;
  }
  return issues;
}
