/** A run as the API shows an operation: its progress counted, its results and errors gathered. */
import type { RunDetail, RunSummary } from '../../../../shared/runs.js';
import type { Operation, OperationSummary } from '../../../../shared/rest.js';

export function toOperationSummary(run: RunSummary): OperationSummary {
  const { total, pending, running } = run.counts;
  const done = total - pending - running;
  return {
    id: run.runId,
    name: run.workflowName,
    workflowId: run.workflowId,
    status: run.status,
    concurrency: run.concurrency,
    progress: { done, total, percent: total === 0 ? 0 : Math.round((done / total) * 1000) / 10 },
    counts: run.counts,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    ...(run.parent ? { parent: { id: run.parent.runId, step: run.parent.step } } : {}),
    ...(run.trigger ? { trigger: run.trigger } : {}),
  };
}

export function toOperation(run: RunDetail): Operation {
  const { workflow } = run;
  return {
    ...toOperationSummary(run),
    description: workflow.description ?? null,
    priority: workflow.priority ?? null,
    deadline: workflow.deadline ?? null,
    metadata: workflow.metadata ?? {},
    steps: run.steps.map((step) => ({
      step: step.step,
      title: step.title,
      platform: step.platform,
      status: step.status,
      attempts: step.attempts,
      agentId: step.agentId,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      exitCode: step.exitCode,
      error: step.error,
      ...(step.childRunId ? { childOperationId: step.childRunId } : {}),
    })),
    results: run.steps.filter((step) => step.status === 'succeeded').map((step) => ({ step: step.step, output: step.output })),
    errors: run.steps.flatMap((step) => (step.error ? [{ step: step.step, message: step.error }] : [])),
  };
}
