/**
 * How an attempt ended, said once for the database, the step and the retry policy: its status,
 * its error, the exit code recorded, and whether running it again could help.
 */
import type { AttemptStatus } from '../../../shared/runs.js';
import type { ExitInfo } from '../terminals/index.js';
import { sandboxExplanations } from '../sandbox/index.js';
import { authFailureAdvice, type AiToolAdapter, type ToolResult } from '../tools/index.js';

/** Why Photon stopped an attempt's process: 'refused' when the tool reported its credentials refused and kept retrying. */
export type KillReason = 'timeout' | 'cancel' | 'interrupt' | 'refused';

/**
 * The exit code a timed-out attempt records, as GNU timeout(1) returns: a tool that exits 0 on
 * SIGTERM (Claude Code does) must not read as a success, and a retry policy can name it.
 */
export const timeoutExitCode = 124;

/**
 * The exit code of an attempt stopped for refused credentials: what Claude Code and Codex exit with
 * when they give up on a refused key by themselves, whatever the stopped process said (Claude Code
 * exits 0 on SIGTERM, and a hang-up leaves no code at all).
 */
export const refusedExitCode = 1;

/** A tool's result with what it was doing when it was stopped, for a timeout's message. */
export interface ReadResult {
  result: ToolResult;
  activity?: string;
}

/**
 * Reads an AI tool's output into its result. A refusal of its credentials says which variable to
 * check; a timed-out attempt also gets the tool's last reported activity. `refusal` is what the
 * tool's refusal watch said when Photon stopped it: the attempt's error, whatever the tool printed
 * as it was stopped.
 */
export function readToolResult(adapter: AiToolAdapter, text: string, exit: ExitInfo, env: Readonly<Record<string, string>>, timedOut: boolean, refusal?: string): ReadResult {
  let result: ToolResult;
  try {
    result = adapter.parseOutput(text, { exitCode: exit.exitCode });
  } catch (error) {
    return { result: { output: '', error: `could not read ${adapter.label}'s output: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (refusal) result = { ...result, error: refusal, authFailure: true };
  // A sandboxed step's failure names what the sandbox refused, beside the tool's own account of it.
  const fenced = result.error ? sandboxExplanations(text) : [];
  if (fenced.length > 0) result = { ...result, error: `${result.error!.replace(/\.+$/, '')}. ${fenced.map((line) => line.charAt(0).toUpperCase() + line.slice(1)).join(' ')}` };
  if (result.authFailure && result.error) {
    result = { ...result, error: `${result.error.replace(/\.+$/, '')}. Authentication failed, not retried: ${authFailureAdvice(adapter.platform, env)}` };
  }
  const activity = timedOut ? safely(() => adapter.lastActivity?.(text)) : undefined;
  return activity ? { result, activity: `${adapter.label} was ${activity}` } : { result };
}

export interface AttemptEnding {
  status: AttemptStatus;
  error: string | null;
  exitCode: number | null;
  /** False when another attempt cannot help (refused credentials), whatever the retry policy allows. */
  mayRetry: boolean;
}

export function attemptEnding(input: { reason: KillReason | undefined; exit: ExitInfo; spawnError?: string; read?: ReadResult; timeoutMs?: number }): AttemptEnding {
  const { reason, exit, read } = input;
  // A process that never started, or lost its terminal with the terminal host, says why.
  const spawnError = input.spawnError ?? exit.error;
  const toolError = read?.result.error;
  if (reason === 'cancel' || reason === 'interrupt') {
    return { status: 'cancelled', error: spawnError ?? (reason === 'cancel' ? 'cancelled' : 'interrupted: Photon stopped during this attempt'), exitCode: exit.exitCode, mayRetry: true };
  }
  if (reason === 'timeout') {
    const doing = read?.activity ? `; ${read.activity}` : '';
    return { status: 'timed_out', error: spawnError ?? `timed out after ${input.timeoutMs} ms${doing}`, exitCode: timeoutExitCode, mayRetry: true };
  }
  const failed = Boolean(spawnError || toolError) || exit.exitCode !== 0;
  const error =
    spawnError ??
    // The tool's own account says more than its exit code.
    toolError ??
    (exit.signal ? `killed by ${exit.signal}` : exit.exitCode !== 0 ? `exited with code ${exit.exitCode}` : null);
  if (reason === 'refused') {
    return { status: 'failed', error: error ?? 'stopped: its credentials were refused', exitCode: refusedExitCode, mayRetry: false };
  }
  return { status: failed ? 'failed' : 'succeeded', error, exitCode: exit.exitCode, mayRetry: !read?.result.authFailure };
}

function safely(describe: () => string | undefined): string | undefined {
  try {
    return describe();
  } catch {
    return undefined;
  }
}
