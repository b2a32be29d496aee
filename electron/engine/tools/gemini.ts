/**
 * Gemini CLI (`gemini -p PROMPT --output-format stream-json`) and Antigravity (`agy`), its successor
 * for individual accounts, which speaks the same event vocabulary.
 */
import type { WorkflowStep } from '../../../shared/workflow.js';
import { autonomyOf, baseToolEnv, displayCommand, promptArg, promptFor, requireContext } from './prompt.js';
import { geminiAttemptHome, geminiSignInNotes } from './gemini-home.js';
import { claudeLastActivity, geminiLastActivity } from './last-activity.js';
import { parseClaudeStream, parseGeminiStream } from './stream-json.js';
import { jsonLines } from './terminal-text.js';
import type { AiToolAdapter, AutonomyMode, Invocation, InvocationContext, ToolExit, ToolResult } from './tool-adapter.js';

/** `--approval-mode` per autonomy (`--yolo` is deprecated and may not be combined with it). */
const approvalModes: Record<AutonomyMode, string | undefined> = {
  default: undefined,
  'auto-edit': 'auto_edit',
  full: 'yolo',
};

const geminiAutonomy: AutonomyMode[] = ['default', 'auto-edit', 'full'];

/**
 * Gemini CLI's exit codes: the documented ones, and on an API error the HTTP status modulo 256
 * (seen with 0.61: 401 gives 145, 500 gives 244).
 */
export const geminiExitCodes: Readonly<Record<number, string>> = {
  41: 'authentication failed',
  42: 'bad input',
  44: 'sandbox error',
  52: 'configuration error',
  53: 'turn limit reached',
  54: 'a tool failed',
  55: 'the folder is not trusted',
  130: 'cancelled',
  [400 % 256]: 'HTTP 400 from the API: the request was refused',
  [401 % 256]: 'HTTP 401 from the API: the key was refused',
  [403 % 256]: 'HTTP 403 from the API: permission denied',
  [404 % 256]: 'HTTP 404 from the API: no such model or endpoint',
  [429 % 256]: 'HTTP 429 from the API: rate limit or quota exceeded',
  [500 % 256]: 'HTTP 500 from the API: server error',
  [502 % 256]: 'HTTP 502 from the API: bad gateway',
  [503 % 256]: 'HTTP 503 from the API: service unavailable',
  [504 % 256]: 'HTTP 504 from the API: gateway timeout',
};

/** Exit codes that say the credentials or the auth setup were refused: 41, and HTTP 401 and 403. */
const geminiAuthExits = new Set([41, 401 % 256, 403 % 256]);

export const geminiAdapter: AiToolAdapter = {
  platform: 'gemini',
  label: 'Gemini CLI',
  binaries: ['gemini'],
  minimumVersion: '0.11.0',
  install: 'npm install -g @google/gemini-cli',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  supports: { json: true, resume: true, cost: false, tokens: true, autonomyModes: geminiAutonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('gemini', context);
    const prompt = promptFor(step, inputs);
    const args = ['-p', promptArg(prompt), '--output-format', 'stream-json'];
    if (ctx.model?.trim()) args.push('--model', ctx.model.trim());
    const approval = approvalModes[autonomyOf('gemini', ctx, geminiAutonomy)];
    if (approval) args.push('--approval-mode', approval);
    const env = baseToolEnv(ctx);
    // Headless Gemini refuses to start in a folder the user never trusted interactively (exit 55).
    // The workflow names the folder; the variable is the documented switch and older versions
    // ignore it, where the newer --skip-trust flag would be an unknown argument.
    env.GEMINI_CLI_TRUST_WORKSPACE = 'true';
    return { file: ctx.binaryPath, args, env, display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  parseOutput(terminalText: string, exit: ToolExit): ToolResult {
    const result = parseGeminiStream(terminalText, exit, { tool: 'Gemini CLI', reportsCost: false, exitCodes: geminiExitCodes });
    if (result.error && ((exit.exitCode !== null && geminiAuthExits.has(exit.exitCode)) || /API Error: 40[13]\b/.test(result.error))) result.authFailure = true;
    return result;
  },
  lastActivity: geminiLastActivity,
  prepareFolder: geminiAttemptHome,
  detectionNotes: geminiSignInNotes,
};

const agyAutonomy: AutonomyMode[] = ['default', 'full'];

export const agyAdapter: AiToolAdapter = {
  platform: 'agy',
  label: 'Antigravity',
  binaries: ['agy'],
  minimumVersion: '1.0.0',
  install: 'install Antigravity from https://antigravity.google (its installer puts `agy` on the PATH)',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  supports: { json: true, resume: true, cost: false, tokens: true, autonomyModes: agyAutonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('agy', context);
    const prompt = promptFor(step, inputs);
    // agy parses flags Go-style, stopping at the first plain argument: every flag goes first.
    const args = ['--output-format', 'stream-json'];
    if (ctx.model?.trim()) args.push('--model', ctx.model.trim());
    if (autonomyOf('agy', ctx, agyAutonomy) === 'full') args.push('--dangerously-skip-permissions');
    args.push('-p', promptArg(prompt));
    return { file: ctx.binaryPath, args, env: baseToolEnv(ctx), display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  parseOutput(terminalText: string, exit: ToolExit): ToolResult {
    const result = claudeStyle(terminalText) ? parseClaudeStream(terminalText, exit, agyOptions) : parseGeminiStream(terminalText, exit, agyOptions);
    // Gemini's vocabulary for a refused sign-in; a new sign-in, not another attempt, is what helps.
    if (result.error && /API Error: 40[13]\b/.test(result.error)) result.authFailure = true;
    return result;
  },
  lastActivity: (terminalText) => (claudeStyle(terminalText) ? claudeLastActivity(terminalText) : geminiLastActivity(terminalText)),
};

const agyOptions = { tool: 'Antigravity', reportsCost: false };

/** Gemini's vocabulary is the usual; a build that answers in Claude Code's is read as such. */
function claudeStyle(terminalText: string): boolean {
  return jsonLines(terminalText).some((event) => event.type === 'system' || event.type === 'assistant');
}
