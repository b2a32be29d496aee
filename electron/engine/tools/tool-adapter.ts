import type { AutonomyMode, ToolSupport } from '../../../shared/tools.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { RefusalWatch } from './refusal-watch.js';

/** How a step on one platform becomes a process. */
export interface Invocation {
  file: string;
  args: string[];
  /** Variables added to the engine's environment for this process only. */
  env: Record<string, string>;
  /**
   * Variables to remove from the inherited environment before `env` is applied, e.g. the user's own
   * `ANTHROPIC_API_KEY` when a step is pointed at another provider's endpoint. `mergeEnv` applies it.
   */
  unsetEnv?: string[];
  /** What the user sees as the terminal's command. */
  display: string;
}

export type { AutonomyMode, ToolSupport } from '../../../shared/tools.js';
export { autonomyModes } from '../../../shared/agents.js';

/** Whose folder `prepareFolder` fills: a step's attempt, or a terminal with the variables its agent gave (none without an agent). */
export type FolderUse = { for: 'step' } | { for: 'terminal'; agentEnv: Readonly<Record<string, string>> };

/** How a tool's process is pointed at its key and endpoint. */
export interface Connection {
  /** The process's own variables (the context's, mapped to the names the tool reads). */
  env: Record<string, string>;
  /** Inherited variables to drop (see Invocation.unsetEnv). */
  unsetEnv?: string[];
  /** Arguments that go before any other (Codex's `-c openai_base_url=...`). */
  args?: string[];
}

/** What the engine knows when it turns a step into an AI tool's process. */
export interface InvocationContext {
  /** The detected executable (absolute path). */
  binaryPath: string;
  model?: string;
  autonomy?: AutonomyMode;
  /** Secret-filled and extra variables, already resolved; empty values are dropped, never passed. */
  env: Record<string, string>;
  /**
   * The environment the process inherits (the engine's, from the user's shell), for an adapter
   * that maps a variable the user set there to the name the installed tool reads (Codex).
   */
  inherited?: Readonly<Record<string, string>>;
  /**
   * The PATH the tool was found with (the login shell's). Passed on so a tool that is a script
   * (`#!/usr/bin/env node`) finds its interpreter when Photon was started from a dock or menu.
   */
  searchPath?: string;
}

export interface TokenUsage {
  /** Every input token the model read, cached ones included. */
  input: number;
  output: number;
  /** The part of `input` read from a prompt cache, where the tool reports it. */
  cached?: number;
  /** The part of `input` written to a prompt cache (Anthropic bills it apart), where the tool reports it. */
  cacheWrite?: number;
}

/** What a finished AI step produced, read from the tool's structured output. */
export interface ToolResult {
  /** The tool's final message: this becomes `{{steps.N.output}}`. */
  output: string;
  sessionId?: string;
  /** Money spent, only where the tool reports it (Claude Code's `total_cost_usd`). */
  costUsd?: number;
  tokens?: TokenUsage;
  turns?: number;
  /** Set when the step must count as failed: the tool failed, hit a limit, or stopped without a result. */
  error?: string;
  /**
   * The tool's own report says its credentials were refused (an HTTP 401 or 403, not signed in):
   * running it again cannot help, so the step is not retried.
   */
  authFailure?: boolean;
}

export interface ToolExit {
  exitCode: number | null;
}


export interface ToolAdapter {
  platform: string;
  /**
   * `inputs` are the step's inputs with `{{steps.N.output}}` already filled in. AI tools need
   * `context` (the detected binary at least); the shell ignores it.
   */
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation;
}

/** An AI coding CLI: found on PATH, run in its structured output mode, its output read back. */
export interface AiToolAdapter extends ToolAdapter {
  label: string;
  /** Executable names to look for, in order of preference. */
  binaries: readonly string[];
  /** The oldest version whose flags and output format this adapter uses. */
  minimumVersion: string;
  /** How a user installs or updates the tool, said as a command or a place to get it. */
  install: string;
  versionArgs: readonly string[];
  /** The help screen that lists the flags `invocation` passes (e.g. `codex exec --help`). */
  helpArgs: readonly string[];
  supports: ToolSupport;
  /** Reads the step's terminal text (stdout and stderr merged, CRLF, maybe ANSI) into its result. */
  parseOutput(terminalText: string, exit: ToolExit): ToolResult;
  /**
   * How the installed tool is given its key and endpoint when that is more than the context's
   * variables (Z.AI's endpoint, Codex 0.171's CODEX_API_KEY and openai_base_url): written once, for
   * a step's process and for the tool's own session in a terminal alike.
   */
  connection?(context: InvocationContext): Connection;
  /**
   * What the tool was doing when its output stops, read from its events ("retrying after HTTP
   * 500"): said when a step times out, so the user knows what it was waiting for.
   */
  lastActivity?(terminalText: string): string | undefined;
  /**
   * Files the tool needs in a folder of its own before it starts, given the process's final
   * environment; returns variables to add (Gemini's settings for a custom endpoint, an interactive
   * Codex's stored key). The folder is a step's attempt folder or a terminal's own folder, removed
   * when the process ends.
   */
  prepareFolder?(env: Readonly<Record<string, string>>, folder: string, use: FolderUse): Record<string, string>;
  /**
   * For a tool that reports refused credentials and keeps retrying them by itself (Claude Code for
   * minutes): a watch over its output, given the process's environment, that says when to stop it.
   */
  watchRefusal?(env: Readonly<Record<string, string>>): RefusalWatch;
  /** Advice for the tools list that does not stop the tool from running, from the user's environment. */
  detectionNotes?(env: Readonly<Record<string, string | undefined>>): string[];
}

export function isAiToolAdapter(adapter: ToolAdapter): adapter is AiToolAdapter {
  return typeof (adapter as Partial<AiToolAdapter>).parseOutput === 'function' && Array.isArray((adapter as Partial<AiToolAdapter>).binaries);
}
