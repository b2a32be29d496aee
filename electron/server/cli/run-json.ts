import type { ItemCounts, RunDetail, TokenCounts } from '../../../shared/runs.js';

/** The one JSON object `run`, `resume` and `show` print with --json; times are ISO 8601 with milliseconds. */
export interface RunJson {
  runId: string;
  status: RunDetail['status'];
  /** A sub-workflow's run: the run and step that started it. */
  parent?: { runId: string; step: number };
  /** What started it when not a person: a schedule, a file trigger or a webhook, by name. */
  trigger?: RunDetail['trigger'];
  steps: {
    step: number;
    status: string;
    attempts: number;
    exitCode: number | null;
    startedAt: string | null;
    finishedAt: string | null;
    output: string | null;
    /** Why it failed, timed out, was cancelled or skipped; null when it succeeded. */
    error: string | null;
    /** What its AI tool reported: the session to resume, money spent and tokens (retries included). */
    sessionId: string | null;
    costUsd: number | null;
    tokens: TokenCounts | null;
    /** A sub-workflow step: the child run of its latest attempt. */
    childRunId?: string;
    /** A fan-out step: its items by state (its output is the list of their outputs). */
    items?: ItemCounts;
  }[];
}

export function toRunJson(detail: RunDetail): RunJson {
  return {
    runId: detail.runId,
    status: detail.status,
    ...(detail.parent ? { parent: detail.parent } : {}),
    ...(detail.trigger ? { trigger: detail.trigger } : {}),
    steps: detail.steps.map((s) => ({
      step: s.step,
      status: s.status,
      attempts: s.attempts,
      exitCode: s.exitCode,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      output: s.output,
      error: s.error,
      sessionId: s.sessionId,
      costUsd: s.costUsd,
      tokens: s.tokens,
      ...(s.childRunId ? { childRunId: s.childRunId } : {}),
      ...(s.items ? { items: s.items } : {}),
    })),
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
