import type { AttemptPatch, RunPatch, StepPatch } from './runs-repository.js';

/** The columns runs-repository.ts reads runs, steps and attempts with, named as its rows' fields. */
export const runSelect = `SELECT id, workflow_id AS workflowId, workflow_name AS workflowName, definition, status, concurrency, base_dir AS baseDir, owner,
  created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt, trigger_kind AS triggerKind, trigger_name AS triggerName FROM runs`;
/** A run's row without its definition (the whole workflow's JSON): what a summary shows. */
export const runHeadSelect = `SELECT id, workflow_id AS workflowId, workflow_name AS workflowName, status, concurrency, base_dir AS baseDir, owner,
  created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt, trigger_kind AS triggerKind, trigger_name AS triggerName FROM runs`;
/** Each figure over the step's attempts, found by the attempts' primary key; SUM of none or of NULLs is NULL. */
const usageOf = (expression: string) => `(SELECT ${expression} FROM attempts a WHERE a.run_id = steps.run_id AND a.step = steps.step)`;
export const stepSelect = `SELECT run_id AS runId, step, status, attempts, exit_code AS exitCode, started_at AS startedAt,
  finished_at AS finishedAt, output, error, next_attempt_at AS nextAttemptAt, agent_id AS agentId, agent_note AS agentNote, waiting_for AS waitingFor,
  (SELECT session_id FROM attempts a WHERE a.run_id = steps.run_id AND a.step = steps.step AND session_id IS NOT NULL ORDER BY attempt DESC LIMIT 1) AS sessionId,
  ${usageOf('SUM(cost_usd)')} AS costUsd, ${usageOf('SUM(input_tokens)')} AS inputTokens, ${usageOf('SUM(output_tokens)')} AS outputTokens,
  ${usageOf('SUM(cache_read_tokens)')} AS cacheReadTokens, ${usageOf('SUM(cache_write_tokens)')} AS cacheWriteTokens,
  (SELECT id FROM runs c WHERE c.parent_run_id = steps.run_id AND c.parent_step = steps.step ORDER BY c.parent_attempt DESC, c.created_at DESC LIMIT 1) AS childRunId,
  (SELECT json_object('total', COUNT(*), 'pending', TOTAL(status = 'pending'), 'running', TOTAL(status IN ('running', 'retrying')),
    'succeeded', TOTAL(status = 'succeeded'), 'failed', TOTAL(status IN ('failed', 'timed_out')), 'cancelled', TOTAL(status = 'cancelled'))
    FROM step_items i WHERE i.run_id = steps.run_id AND i.step = steps.step HAVING COUNT(*) > 0) AS itemCounts
  FROM steps`;
/**
 * A step's own row, for a step that can have no session, usage, child run or items (a plain shell
 * step): those columns are NULL, as the full select finds them, without its eight lookups per step.
 */
export const plainStepSelect = `SELECT run_id AS runId, step, status, attempts, exit_code AS exitCode, started_at AS startedAt,
  finished_at AS finishedAt, output, error, next_attempt_at AS nextAttemptAt, agent_id AS agentId, agent_note AS agentNote, waiting_for AS waitingFor,
  NULL AS sessionId, NULL AS costUsd, NULL AS inputTokens, NULL AS outputTokens, NULL AS cacheReadTokens, NULL AS cacheWriteTokens,
  NULL AS childRunId, NULL AS itemCounts
  FROM steps`;
export const attemptSelect = `SELECT run_id AS runId, step, attempt, status, started_at AS startedAt, finished_at AS finishedAt,
  exit_code AS exitCode, signal, error, process, output_path AS outputPath, tail, agent_id AS agentId, platform, session_id AS sessionId,
  cost_usd AS costUsd, input_tokens AS inputTokens, output_tokens AS outputTokens, cache_read_tokens AS cacheReadTokens,
  cache_write_tokens AS cacheWriteTokens, peak_cpu_percent AS peakCpuPercent, peak_rss_bytes AS peakRssBytes, item
  FROM attempts`;

/** The columns runs-repository.ts writes, by the field of its patches that each takes. */
export const runColumns: Record<keyof RunPatch, string> = {
  status: 'status',
  owner: 'owner',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  concurrency: 'concurrency',
  definition: 'definition',
};
export const stepColumns: Record<keyof StepPatch, string> = {
  status: 'status',
  attempts: 'attempts',
  exitCode: 'exit_code',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  output: 'output',
  error: 'error',
  nextAttemptAt: 'next_attempt_at',
  agentId: 'agent_id',
  agentNote: 'agent_note',
  waitingFor: 'waiting_for',
};
export const attemptColumns: Record<keyof AttemptPatch, string> = {
  status: 'status',
  finishedAt: 'finished_at',
  exitCode: 'exit_code',
  signal: 'signal',
  error: 'error',
  process: 'process',
  tail: 'tail',
  agentId: 'agent_id',
  platform: 'platform',
  sessionId: 'session_id',
  costUsd: 'cost_usd',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheWriteTokens: 'cache_write_tokens',
  peakCpuPercent: 'peak_cpu_percent',
  peakRssBytes: 'peak_rss_bytes',
};
