/**
 * Aider (`aider --message PROMPT --no-pretty --no-stream`): no machine-readable mode, so the result
 * is its text minus the banner and bookkeeping lines, as well as that can be done.
 */
import type { WorkflowStep } from '../../../shared/workflow.js';
import { autonomyOf, baseToolEnv, displayCommand, promptArg, promptFor, requireContext } from './prompt.js';
import { aiderRefusal, refusalWatch } from './refusal-watch.js';
import { withoutUndefined } from './stream-json.js';
import { exitDescription, terminalLines, textTail } from './terminal-text.js';
import type { AiToolAdapter, AutonomyMode, Invocation, InvocationContext, ToolExit, ToolResult } from './tool-adapter.js';

/**
 * Aider applies edits on its own; what autonomy changes is who answers its questions (add or create
 * a file, run a command). `auto-edit` answers yes but stops it proposing shell commands.
 */
const autonomyFlags: Record<AutonomyMode, string[]> = {
  default: [],
  'auto-edit': ['--yes-always', '--no-suggest-shell-commands'],
  full: ['--yes-always'],
};

const autonomy: AutonomyMode[] = ['default', 'auto-edit', 'full'];

export const aiderAdapter: AiToolAdapter = {
  platform: 'aider',
  label: 'Aider',
  binaries: ['aider'],
  minimumVersion: '0.50.0',
  install: 'python -m pip install -U aider-chat (or see https://aider.chat/docs/install.html)',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  supports: { json: false, resume: false, cost: false, tokens: false, autonomyModes: autonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('aider', context);
    const prompt = promptFor(step, inputs);
    // No update check or release-notes question: either would wait for an answer before the work.
    const args = ['--message', promptArg(prompt), '--no-pretty', '--no-stream', '--no-check-update', '--no-show-release-notes'];
    if (ctx.model?.trim()) args.push('--model', ctx.model.trim());
    args.push(...autonomyFlags[autonomyOf('aider', ctx, autonomy)]);
    return { file: ctx.binaryPath, args, env: baseToolEnv(ctx), display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  parseOutput: parseAiderText,
  lastActivity: aiderLastActivity,
  // Aider never retries a refused key: the first report is the answer, with or without a key given.
  watchRefusal: (env) => refusalWatch('aider', env, aiderRefusal, { renewsSignIn: false }),
};

/** Lines aider prints about itself rather than the model's answer. */
const noise: RegExp[] = [
  /^Aider v\d/,
  /^(Main model|Model|Weak model|Editor model|Architect model|Git repo|Repo-map|Cur working dir|Chat history|Restored previous conversation):/,
  /^Added .+ to the chat\.?$/,
  /^Added .+ to \.gitignore$/,
  /^Use \/help\b/,
  /^(Warning|Note): /,
  /^(Detected dumb terminal|Can't initialize prompt toolkit|Newer aider version|You can skip this check|Scanning repo|Initial repo scan|Creating empty file|Cost estimates may be inaccurate|Update git name|Update git email)/,
  /^For more info(rmation)?(,| see| about).*https:\/\/aider\.chat/i,
  /^https:\/\/aider\.chat\/\S*$/,
  /^Tokens: [\d.,]+k? sent\b/,
  /^Cost: \$/,
  /^Applied edit to /,
  /^Commit [0-9a-f]{7,} /,
  /^(Did not apply edit|Only \d+ reflections allowed)/,
  /^-? ?[A-Z_]+_API_KEY: Not set$/,
  /^[─━]{3,}$/,
];

const crashStart = /^Traceback \(most recent call last\):/;
const limitPattern = /has hit a token limit!?$/;
const errorPatterns: RegExp[] = [
  /^litellm\.[A-Za-z]+(Error|Exception)\b.*/,
  /^The API provider .*$/,
  /^aider: error: .*/,
  /^(Error|ERROR): .*/,
  /^Unable to .*/,
  /^Model .* not found.*/i,
  /^No (LLM )?model was specified.*/,
];

export function parseAiderText(text: string, exit: ToolExit): ToolResult {
  const lines = terminalLines(text).map((line) => line.replace(/\s+$/, ''));
  const kept: string[] = [];
  let error: string | undefined;
  let crashed = false;
  let limited = false;
  let traceback: string[] = [];
  // Pages an error names: aider then offers to open each, printing it alone on a line.
  const offered = new Set<string>();

  for (const line of lines) {
    const trimmed = line.trim();
    // After a token-limit notice aider prints its counts and advice, then stops: none of it is an answer.
    if (limited) continue;
    if (crashed) {
      traceback.push(trimmed);
      continue;
    }
    if (crashStart.test(trimmed)) {
      crashed = true;
      traceback = [];
      continue;
    }
    if (limitPattern.test(trimmed)) {
      error ??= `Aider stopped: ${trimmed.replace(/!$/, '')}; ask for smaller changes or add fewer files`;
      limited = true;
      continue;
    }
    const failed = errorPatterns.find((pattern) => pattern.test(trimmed));
    if (failed) {
      error ??= `Aider failed: ${trimmed}`;
      for (const url of trimmed.match(/https?:\/\/[^\s"]+/g) ?? []) offered.add(url.replace(/[.'",}]+$/, ''));
      continue;
    }
    if (offered.has(trimmed) || /^Open URL for more info\?/.test(trimmed)) continue;
    if (noise.some((pattern) => pattern.test(trimmed))) continue;
    kept.push(line);
  }

  if (crashed) {
    const last = traceback.filter((line) => line !== '').pop();
    error = `Aider crashed${last ? `: ${last}` : ''}`;
  }
  if (!error && exit.exitCode !== 0) {
    const last = kept.map((line) => line.trim()).filter((line) => line !== '').pop();
    error = `Aider ${exitDescription(exit)}${last ? `: ${last}` : ''}`;
  }
  // litellm's AuthenticationError, which aider does not retry either: a 401 or 403, or no key at all.
  const authFailure = lines.some((line) => /^(litellm\.AuthenticationError\b|The API provider is not able to authenticate you\b)/.test(line.trim())) || undefined;
  return withoutUndefined({ output: trimBlankLines(kept).join('\n'), error, authFailure });
}

/**
 * What aider was doing last: retrying an API error (it prints the error, then "Retrying in 0.5
 * seconds...", doubling the wait up to about a minute in all), or the last line it printed.
 */
export function aiderLastActivity(text: string): string | undefined {
  const lines = terminalLines(text).map((line) => line.trim()).filter((line) => line !== '');
  const retry = lines.findLastIndex((line) => /^Retrying in [\d.]+ seconds\.\.\.$/.test(line));
  if (retry >= 0) {
    const cause = lines.slice(0, retry).findLast((line) => /^litellm\.[A-Za-z]+/.test(line));
    return `retrying${cause ? ` after ${cause.length > 160 ? `${cause.slice(0, 157)}...` : cause}` : ''}`;
  }
  const tail = textTail(text, 1);
  return tail ? `last printing "${tail.length > 160 ? `${tail.slice(0, 157)}...` : tail}"` : undefined;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).filter((line, index, all) => !(line.trim() === '' && all[index - 1]?.trim() === ''));
}
