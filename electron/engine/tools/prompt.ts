import { PhotonError } from '../../../shared/errors.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { AutonomyMode, InvocationContext } from './tool-adapter.js';

/**
 * The prompt an AI step sends: `inputs.prompt` when it has one; otherwise an instruction composed
 * from the step's action and its other inputs (the specification's seed-style steps).
 */
export function promptFor(step: WorkflowStep, inputs: Record<string, unknown>): string {
  const given = inputs.prompt;
  if (typeof given === 'string' && given.trim() !== '') return given;
  if (given !== undefined && given !== null && typeof given !== 'string') return formatValue(given);

  const action = step.action?.trim();
  const rest = Object.entries(inputs).filter(([key, value]) => key !== 'prompt' && value !== undefined);
  const label = step.label?.trim();
  if (!action && !label) {
    throw new PhotonError('invalid', `step ${step.step}: an AI step needs inputs.prompt or an action to compose one from`);
  }

  const lines: string[] = [];
  if (action) {
    const words = humanize(action);
    lines.push(`Perform the action "${action}"${words !== action ? ` (${words})` : ''} in the current working directory.`);
    if (label && label !== action) lines.push(`This is the workflow step "${label}".`);
  } else {
    lines.push(`Carry out the workflow step "${label}" in the current working directory.`);
  }
  if (rest.length > 0) {
    lines.push('', 'Inputs:');
    for (const [key, value] of rest) lines.push(`${key}: ${indentContinuation(formatValue(value))}`);
  }
  lines.push('', 'When you are done, reply with the result as your final message.');
  return lines.join('\n');
}

/** `analyze-code-quality`, `analyze_code_quality`, `analyzeCodeQuality` → `analyze code quality`. */
export function humanize(action: string): string {
  return action
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

function indentContinuation(text: string): string {
  return text.replace(/\r?\n/g, '\n  ');
}

/**
 * The prompt as one argv element. An option parser would read a leading `-` as a flag, so such a
 * prompt gets a leading space: harmless to a model, and it keeps `--help me` a prompt.
 */
export function promptArg(prompt: string): string {
  if (prompt === '') throw new PhotonError('invalid', 'the prompt is empty');
  return prompt.startsWith('-') ? ` ${prompt}` : prompt;
}

export function requireContext(platform: string, context: InvocationContext | undefined): InvocationContext {
  if (!context?.binaryPath) {
    throw new PhotonError('unavailable', `${platform}: no executable was detected; install the tool or run "Detect tools" again`);
  }
  return context;
}

export function autonomyOf(platform: string, context: InvocationContext, supported: readonly AutonomyMode[]): AutonomyMode {
  const autonomy = context.autonomy ?? 'default';
  if (!supported.includes(autonomy)) {
    throw new PhotonError('invalid', `${platform} has no "${autonomy}" autonomy mode; use one of: ${supported.join(', ')}`);
  }
  return autonomy;
}

/** The context's variables minus empty ones (an empty key overrides a signed-in subscription). */
export function nonEmptyEnv(env: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env ?? {})) {
    if (typeof value === 'string' && value.trim() !== '') result[key] = value;
  }
  return result;
}

/** Variables every AI tool's process gets from its context: the secrets and the tool's PATH. */
export function baseToolEnv(context: InvocationContext): Record<string, string> {
  const env = nonEmptyEnv(context.env);
  if (context.searchPath) env.PATH = context.searchPath;
  return env;
}

/** How the command reads in the terminal's title: the prompt shortened, never a secret. */
export function displayCommand(binaryPath: string, args: readonly string[], prompt: string): string {
  const name = binaryPath.split(/[\\/]/).pop() ?? binaryPath;
  const shown = args.map((arg) => (arg === prompt || arg === promptArg(prompt) ? quote(shorten(prompt)) : /[\s"'$`\\]/.test(arg) ? quote(arg) : arg));
  return [name, ...shown].join(' ');
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function quote(text: string): string {
  return `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Names of variables that carry credentials: never passed empty. */
export const credentialVariable = /(^|_)(API_KEY|AUTH_TOKEN|OAUTH_TOKEN|ACCESS_TOKEN|SECRET|TOKEN)$/;

/**
 * The environment a tool's process starts with: the base environment minus the invocation's
 * `unsetEnv` and minus credentials that are set but empty, then the invocation's own variables.
 */
export function mergeEnv(base: Record<string, string>, invocation: { env: Record<string, string>; unsetEnv?: readonly string[] }): Record<string, string> {
  const env: Record<string, string> = {};
  const unset = new Set(invocation.unsetEnv ?? []);
  for (const [key, value] of Object.entries(base)) {
    if (unset.has(key)) continue;
    if (credentialVariable.test(key) && value.trim() === '') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(invocation.env)) {
    if (credentialVariable.test(key) && value.trim() === '') continue;
    env[key] = value;
  }
  return env;
}
