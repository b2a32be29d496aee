import type { AttemptState, ItemCounts, ItemState, RunDetail, RunTimeline, StepState } from '../../../shared/runs.js';
import type { RunWorkspace, StepWorkspace } from '../../../shared/workspaces.js';
import { stepTitle, type Workflow, type WorkflowStep } from '../../../shared/workflow.js';
import { skipKindOf } from '../../../shared/step-condition.js';
import type { AttemptRow, RunRow, RunsRepository, StepItemRow, StepReadRow } from '../storage/index.js';

/** A step as the contract shows it: its definition's title and graph with its stored state (and its worktree, in a run with one). */
export function toStepState(def: WorkflowStep, row: StepReadRow, workspace?: StepWorkspace): StepState {
  return {
    ...(workspace ? { workspace } : {}),
    ...(row.status === 'skipped' ? { skipped: skipKindOf(row.error) } : {}),
    ...(row.childRunId ? { childRunId: row.childRunId } : {}),
    ...(def.forEach !== undefined ? { items: itemCountsOf(row.itemCounts) } : {}),
    ...(row.waitingFor ? { waitingFor: row.waitingFor } : {}),
    step: row.step,
    title: stepTitle(def),
    platform: def.platform,
    dependencies: [...def.dependencies],
    status: row.status,
    attempts: row.attempts,
    exitCode: row.exitCode,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    output: row.output,
    error: row.error,
    nextAttemptAt: row.nextAttemptAt,
    agentId: row.agentId,
    agentNote: row.agentNote,
    sessionId: row.sessionId,
    costUsd: row.costUsd,
    tokens:
      row.inputTokens === null && row.outputTokens === null
        ? null
        : { input: row.inputTokens ?? 0, output: row.outputTokens ?? 0, cacheRead: row.cacheReadTokens, cacheWrite: row.cacheWriteTokens },
  };
}

/** A run's workspace, if it has one: its own and each step's latest worktree. */
export interface RunWorkspaceView {
  run: RunWorkspace;
  steps: ReadonlyMap<number, StepWorkspace>;
}

export function toRunDetail(repo: RunsRepository, row: RunRow, workspace?: RunWorkspaceView): RunDetail {
  const workflow = JSON.parse(row.definition) as Workflow;
  const defs = new Map(workflow.workflow.map((def) => [def.step, def]));
  const steps = repo
    .getSteps(row.id)
    .flatMap((stepRow) => {
      const def = defs.get(stepRow.step);
      return def ? [toStepState(def, stepRow, workspace?.steps.get(stepRow.step))] : [];
    });
  return { ...repo.summarize(row), workflow, steps, ...(workspace ? { workspace: workspace.run } : {}) };
}

/** An attempt as the contract shows it: its stored state without the engine's bookkeeping. */
/** Every attempt of the run, in the order they were made, each with its step's title. */
export function toRunTimeline(repo: RunsRepository, run: RunRow): RunTimeline {
  const titles = new Map((JSON.parse(run.definition) as Workflow).workflow.map((def) => [def.step, stepTitle(def)]));
  return {
    runId: run.id,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    attempts: repo.getAttempts(run.id).map((row) => ({ ...toAttemptState(row), step: row.step, title: titles.get(row.step) ?? `Step ${row.step}` })),
  };
}

export function toAttemptState(row: AttemptRow): AttemptState {
  const { runId: _runId, step: _step, process: _process, outputPath: _outputPath, item, ...state } = row;
  return item === null ? state : { ...state, item };
}

/** A fan-out step's items, for its detail. */
export function toItemStates(rows: readonly StepItemRow[]): ItemState[] {
  return rows.map((row) => ({
    index: row.item,
    value: JSON.parse(row.value) as unknown,
    status: row.status,
    attempts: row.attempts,
    output: row.output,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  }));
}

/** A fan-out step's counts as stored (a JSON object of whole numbers); before its list is known, all zero. */
function itemCountsOf(stored: string | null): ItemCounts {
  const counts: ItemCounts = { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  if (stored === null) return counts;
  const read = JSON.parse(stored) as Partial<Record<keyof ItemCounts, number>>;
  for (const key of Object.keys(counts) as (keyof ItemCounts)[]) counts[key] = Math.round(read[key] ?? 0);
  return counts;
}
