/**
 * An agent session as Photon shows it: the conversation of an agent that speaks the Agent Client
 * Protocol (ACP), reduced to what a user reads (messages, the plan, tool calls with their status,
 * command, output and diffs, usage). Plain data: stored with the attempt, sent in events, rendered
 * by the session view. The ACP wire types stay inside electron/engine/sessions/.
 */

/**
 * How an AI step runs: `session` as an ACP agent session (structured conversation, permission
 * requests in the approvals inbox), `headless` as the tool's one-shot command in a terminal.
 */
export const stepModes = ['session', 'headless'] as const;
export type StepMode = (typeof stepModes)[number];

/** Where a session is in its life. `failed` carries the reason in {@link SessionInfo.error}. */
export type SessionStatus = 'starting' | 'idle' | 'working' | 'cancelling' | 'ended' | 'failed';

/** What ACP says a tool call does; Photon's rules match on it. */
export type ToolCallKind = 'read' | 'edit' | 'delete' | 'move' | 'search' | 'execute' | 'think' | 'fetch' | 'switch_mode' | 'other';

export type ToolCallStatus = 'pending' | 'in_progress' | 'completed' | 'failed';

/** One file change a tool call proposes or made: the whole old and new text, as ACP sends it. */
export interface SessionDiff {
  path: string;
  /** Absent when the file is new. */
  oldText: string | null;
  newText: string;
}

export interface SessionToolCall {
  /** The agent's own id for the call (unique within the session). */
  id: string;
  title: string;
  kind: ToolCallKind;
  status: ToolCallStatus;
  /** The command line for an `execute` call, when the agent said it. */
  command?: string;
  /** Text the call produced (bounded; the head is kept). */
  output: string;
  diffs: SessionDiff[];
  /** Files the call touches, as absolute paths. */
  locations: string[];
}

export interface SessionPlanEntry {
  content: string;
  priority: 'high' | 'medium' | 'low';
  status: 'pending' | 'in_progress' | 'completed';
}

/** Tokens and cost of a session so far; fields the agent never reported stay absent. */
export interface SessionUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedReadTokens?: number;
  cachedWriteTokens?: number;
  /** Context window in use and its size, as `usage_update` reports them. */
  contextUsed?: number;
  contextSize?: number;
  costUsd?: number;
}

/**
 * The conversation as an ordered list. A message entry grows while its chunks stream; a tool call
 * entry is updated in place as its status changes; the plan is one entry replaced as a whole.
 */
export type SessionEntry =
  | { type: 'message'; role: 'user' | 'agent' | 'thought'; text: string; at: number }
  | { type: 'tool_call'; call: SessionToolCall; at: number }
  | { type: 'plan'; entries: SessionPlanEntry[]; at: number }
  | { type: 'turn_end'; stopReason: string; at: number }
  | { type: 'notice'; text: string; at: number };

/** A session's state as the engine holds it. */
export interface SessionInfo {
  id: string;
  /** The tool (registry key) the agent runs through, e.g. `claude-code`. */
  tool: string;
  agentName?: string;
  runId?: string;
  stepId?: string;
  cwd: string;
  status: SessionStatus;
  /** Why the session failed, in words a user can act on. */
  error?: string;
  /** Messages waiting to be sent when the current turn ends. */
  queued: string[];
  usage: SessionUsage;
  startedAt: number;
  endedAt?: number;
}

/** The longest text kept for one tool call's output or one message; the rest is cut with a note. */
export const sessionTextLimit = 200_000;
