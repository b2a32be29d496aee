import type { AgentStats } from '../agents.js';
import type { ApprovalItem } from '../approvals.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { RunSummary, StepState } from '../runs.js';
import type { SessionEntry, SessionInfo } from '../sessions.js';
import type { TerminalInfo } from '../terminals.js';
import type { RunWorkspace } from '../workspaces.js';
import { returns } from './schema.js';

/** Every event the engine sends, with its payload type. */
export const events = {
  /** A run changed status or its step counts moved. */
  'run.updated': returns<RunSummary>(),
  /** A step changed status or attempt (its `workspace` included). */
  'step.updated': returns<{ runId: string; step: StepState }>(),
  /** A run's workspace changed: its result branch was made, or could not be. */
  'workspace.updated': returns<{ runId: string; workspace: RunWorkspace }>(),
  /** New terminal text of a running step, batched. */
  'step.output': returns<{ runId: string; step: number; attempt: number; data: string }>(),
  /** A terminal started, was resized or exited. */
  'terminal.updated': returns<TerminalInfo>(),
  /** Terminal output, batched; views acknowledge it with `terminals.ack`. */
  'terminal.data': returns<{ id: string; data: string }>(),
  /** A running step's terminal started or stopped waiting for the user to type. */
  'step.waiting': returns<{ runId: string; step: number; attempt: number; terminalId: string; waiting: boolean }>(),
  /** An agent's status or record changed. */
  'agent.updated': returns<AgentStats>(),
  /** An agent was deleted (by any client). */
  'agent.deleted': returns<{ agentId: string }>(),
  /** A request entered the approvals inbox, was answered (by a person or a rule), expired or was cancelled. */
  'approval.updated': returns<ApprovalItem>(),
  /** A session changed status, queue or usage. */
  'session.updated': returns<SessionInfo>(),
  /**
   * A session's conversation entry was added (`index` is the next one) or changed in place (a
   * message growing as it streams, a tool call's status, the plan): views replace entry `index`.
   */
  'session.entry': returns<{ sessionId: string; index: number; entry: SessionEntry }>(),
  /** Once a second while anything runs (and once more when it all stops). */
  'metrics.tick': returns<MetricsSnapshot>(),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = (typeof events)[E];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
