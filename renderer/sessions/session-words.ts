import type { SessionInfo, SessionStatus, SessionUsage, ToolCallStatus } from '../../shared/sessions.js';

/** How the session view speaks about a session's state, a tool call's, and its usage. Pure. */

export const sessionStatusWords: Record<SessionStatus, string> = {
  starting: 'Starting',
  idle: 'Ready',
  working: 'Working',
  cancelling: 'Stopping the turn',
  ended: 'Ended',
  failed: 'Failed',
};

export const toolStatusWords: Record<ToolCallStatus, string> = {
  pending: 'Waiting',
  in_progress: 'Running',
  completed: 'Done',
  failed: 'Failed',
};

/** The state as shown: a turn held up by one of its own permission requests waits for the user, not for the agent. */
export function shownSessionStatus(status: SessionStatus, waitingRequests: number): string {
  return status === 'working' && waitingRequests > 0 ? 'Waiting for your answer' : sessionStatusWords[status];
}

/** Whether a turn runs now: a message sent then waits in the queue, and Stop turn is offered. */
export function turnRunning(status: SessionStatus): boolean {
  return status === 'working' || status === 'cancelling';
}

/** Whether the session still takes messages. */
export function acceptsMessages(status: SessionStatus): boolean {
  return status === 'idle' || status === 'working' || status === 'starting';
}

/** What the send button says: a message typed during a turn waits for it to end. */
export function sendLabel(status: SessionStatus): string {
  return turnRunning(status) ? 'Queue' : 'Send';
}

/** "12,400 tokens of 200,000 context · $0.0312", from what the agent reported; null when it reported nothing. */
export function usageText(usage: SessionUsage): string | null {
  const parts: string[] = [];
  const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  if (tokens > 0) parts.push(`${tokens.toLocaleString('en-US')} tokens`);
  if (usage.contextUsed !== undefined && usage.contextSize) parts.push(`context ${usage.contextUsed.toLocaleString('en-US')} of ${usage.contextSize.toLocaleString('en-US')}`);
  if (usage.costUsd !== undefined) parts.push(`$${usage.costUsd.toFixed(4)}`);
  return parts.length ? parts.join(' · ') : null;
}

/** The panel's heading: the agent and where it works. */
export function sessionTitle(info: Pick<SessionInfo, 'agentName' | 'tool' | 'runId' | 'stepId'>): string {
  const who = info.agentName ?? info.tool;
  return info.runId ? `${who} · step ${info.stepId ?? '?'} of run ${info.runId}` : who;
}

/** Why a turn ended, as ACP names it, in words. */
export function stopReasonWords(reason: string): string {
  switch (reason) {
    case 'end_turn':
      return 'Turn ended';
    case 'cancelled':
      return 'Turn stopped';
    case 'max_tokens':
      return 'Turn ended: the agent reached its token limit';
    case 'max_turn_requests':
      return 'Turn ended: the agent reached its request limit';
    case 'refusal':
      return 'The agent refused to continue';
    default:
      return `Turn ended (${reason})`;
  }
}
