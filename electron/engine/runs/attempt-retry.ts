import type { StepStatus } from '../../../shared/runs.js';
import { retryDelayMs, retryPolicyOf, type WorkflowStep } from '../../../shared/workflow.js';
import type { ToolResult } from '../tools/index.js';
import type { AttemptEnding, KillReason } from './attempt-ending.js';

/** What an ended attempt makes of its step: another attempt after `delay`, or the step's new status. */
export interface StepAfterAttempt {
  stepStatus: StepStatus;
  retryable: boolean;
  delay: number;
}

/**
 * Retried per the step's policy when it failed or timed out, another attempt could help, the run
 * is not ending and attempts are left (counted within this execution: a resumed run gets the whole
 * policy again); a cancelled attempt leaves its step cancelled, or pending when Photon stopped.
 */
export function stepAfterAttempt(
  def: WorkflowStep,
  ending: AttemptEnding,
  reason: KillReason | undefined,
  attempts: { made: number; before: number; cannotRetry: boolean; runEnding: boolean },
): StepAfterAttempt {
  const { status: attemptStatus, exitCode, mayRetry } = ending;
  const policy = retryPolicyOf(def);
  const retryable =
    (attemptStatus === 'failed' || attemptStatus === 'timed_out') &&
    mayRetry &&
    !attempts.cannotRetry &&
    !attempts.runEnding &&
    attempts.made - attempts.before < policy.maxAttempts &&
    !(exitCode !== null && policy.nonRetryableExitCodes.includes(exitCode));
  const delay = retryable ? retryDelayMs(policy, attempts.made - attempts.before) : 0;
  const stepStatus: StepStatus = retryable
    ? 'retrying'
    : attemptStatus === 'cancelled'
      ? reason === 'interrupt'
        ? 'pending'
        : 'cancelled'
      : attemptStatus;
  return { stepStatus, retryable, delay };
}

/** The attempt row's record of what an AI tool reported: its session, cost and tokens. */
export function toolResultColumns(result: ToolResult | undefined) {
  if (!result) return {};
  return {
    sessionId: result.sessionId ?? null,
    costUsd: result.costUsd ?? null,
    inputTokens: result.tokens?.input ?? null,
    outputTokens: result.tokens?.output ?? null,
    cacheReadTokens: result.tokens?.cached ?? null,
    cacheWriteTokens: result.tokens?.cacheWrite ?? null,
  };
}
