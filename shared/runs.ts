import type { Workflow } from './workflow.js';
import type { RunWorkspace, StepWorkspace } from './workspaces.js';
import type { SkipKind } from './step-condition.js';

export const stepStatuses = ['pending', 'running', 'retrying', 'succeeded', 'failed', 'timed_out', 'cancelled', 'skipped'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** `queued`: waiting for a slot while the engine runs as many runs as it may at once (highest priority first). */
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const attemptStatuses = ['running', 'succeeded', 'failed', 'timed_out', 'cancelled'] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];

/** A step that will not change again (unless its run is resumed). */
export function isFinalStepStatus(status: StepStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'timed_out' || status === 'cancelled' || status === 'skipped';
}

export function isActiveRunStatus(status: RunStatus): boolean {
  return status === 'running' || status === 'queued';
}

/** Runs that `runs.resume` accepts: they ended without every step succeeding. */
export function isResumableRunStatus(status: RunStatus): boolean {
  return status === 'interrupted' || status === 'failed' || status === 'cancelled';
}

export interface StepCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/** A run as lists show it. Times are ISO 8601 with milliseconds. */
export interface RunSummary {
  runId: string;
  workflowId: string | null;
  workflowName: string;
  status: RunStatus;
  concurrency: number;
  /** A sub-workflow's run: the run and step that started it. */
  parent?: { runId: string; step: number };
  /** What started it when not a person: a schedule, a file trigger or a webhook, by name. */
  trigger?: { kind: 'schedule' | 'file' | 'webhook'; name: string };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: StepCounts;
}

export interface AttemptState {
  attempt: number;
  status: AttemptStatus;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  /** The last few kilobytes of the attempt's terminal output, codes removed. */
  tail: string;
  /** The saved agent that ran it, if any, and the tool. */
  agentId: string | null;
  platform: string | null;
  /** What an AI tool reported: its session (to resume it), cost and tokens. */
  sessionId: string | null;
  costUsd: number | null;
  /** Every input token, those read from and written to a prompt cache included. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** The part of `inputTokens` read from a prompt cache; null where the tool reports none. */
  cacheReadTokens: number | null;
  /** The part of `inputTokens` written to a prompt cache (Claude Code reports it). */
  cacheWriteTokens: number | null;
  /** The highest CPU (percent of one core) and resident memory its process tree reached. */
  peakCpuPercent: number | null;
  peakRssBytes: number | null;
  /** An attempt of a fan-out step's item: the item's index (from 0); absent for any other attempt. */
  item?: number;
}

export interface StepState {
  step: number;
  title: string;
  platform: string;
  dependencies: number[];
  status: StepStatus;
  attempts: number;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The step's output as later steps see it: terminal text without codes, trimmed. */
  output: string | null;
  error: string | null;
  /** When a step in `retrying` starts its next attempt. */
  nextAttemptAt: string | null;
  /** The agent that runs it, and why that one (or that none applied). */
  agentId: string | null;
  agentNote: string | null;
  /** The session its AI tool reported last (to resume it); null for a shell step. */
  sessionId: string | null;
  /** Money its attempts spent, where the tool reports it (Claude Code); retries included. */
  costUsd: number | null;
  /** Tokens its attempts used, retries included; null where the tool reports none. */
  tokens: TokenCounts | null;
  /** Its latest attempt's git worktree, in a run with a workspace; absent otherwise. */
  workspace?: StepWorkspace;
  /** A skipped step: by its own `when` ("condition"), or because a step it depends on did not succeed. */
  skipped?: SkipKind;
  /** A fan-out step (`forEach`): its items' progress. */
  items?: ItemCounts;
  /** A sub-workflow step: the child run it started (its latest attempt's). */
  childRunId?: string;
  /** Why a ready step has not started: a budget waiting for the user's OK, or the global cap on running AI agents. */
  waitingFor?: 'budget' | 'agent-cap';
}

/** A fan-out step's items by state; `total` is known once its list is. */
export interface ItemCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

/** Where an item stands: as a step does, without `skipped` (every item of a started fan-out runs). */
export type ItemStatus = Exclude<StepStatus, 'skipped'>;

/** One item of a fan-out step, as its step's detail lists it. Its attempts are the step's with this `item`. */
export interface ItemState {
  /** Its place in the list, from 0 (`{{index}}`). */
  index: number;
  /** The item itself (`{{item}}`). */
  value: unknown;
  status: ItemStatus;
  /** Its own attempts, retries included (the step's `attempts` counts every item's). */
  attempts: number;
  output: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Tokens as the AI tools report them; `input` includes the cached ones. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number | null;
  cacheWrite: number | null;
}

export interface RunDetail extends RunSummary {
  workflow: Workflow;
  steps: StepState[];
  /** Where its steps' worktrees come from and its result branch; absent without isolation. */
  workspace?: RunWorkspace;
}

export interface StepDetail extends StepState {
  runId: string;
  attemptHistory: AttemptState[];
  /** A fan-out step's items in list order, once its list is known. */
  itemHistory?: ItemState[];
}

/** A run's attempts laid out in time, for its Gantt chart. */
export interface RunTimeline {
  runId: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: (AttemptState & { step: number; title: string })[];
}
