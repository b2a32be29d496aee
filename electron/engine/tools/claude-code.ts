/**
 * Claude Code (`claude -p PROMPT --output-format stream-json --verbose`), and Z.AI: the same CLI
 * pointed at Z.AI's Anthropic-compatible endpoint for GLM models.
 */
import { PhotonError } from '../../../shared/errors.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import { autonomyOf, baseToolEnv, displayCommand, promptArg, promptFor, requireContext } from './prompt.js';
import { claudeLastActivity } from './last-activity.js';
import { claudeRefusal, jsonEvents, refusalWatch } from './refusal-watch.js';
import { parseClaudeStream } from './stream-json.js';
import type { AiToolAdapter, AutonomyMode, Invocation, InvocationContext, ToolExit, ToolResult } from './tool-adapter.js';

/** `--permission-mode` choices; the CLI's own default needs no flag (newer versions dropped `default`). */
const permissionModes: Record<AutonomyMode, string | undefined> = {
  default: undefined,
  'auto-edit': 'acceptEdits',
  full: 'bypassPermissions',
};

const autonomy: AutonomyMode[] = ['default', 'auto-edit', 'full'];

/** Claude Code refuses bypassPermissions as root (`--dangerously-skip-permissions cannot be used with root/sudo privileges`). */
function rootNotes(): string[] {
  return process.getuid?.() === 0
    ? ['Photon runs as root here: Claude Code refuses the "full" autonomy mode (bypassPermissions) as root, so agents in that mode fail; use "auto-edit".']
    : [];
}

function claudeArgs(prompt: string, context: InvocationContext, platform: string): string[] {
  // -p is a switch and the prompt its own argument; stream-json with -p exits 1 without --verbose.
  const args = ['-p', promptArg(prompt), '--output-format', 'stream-json', '--verbose'];
  if (context.model?.trim()) args.push('--model', context.model.trim());
  const mode = permissionModes[autonomyOf(platform, context, autonomy)];
  if (mode) args.push('--permission-mode', mode);
  return args;
}

export const claudeCodeAdapter: AiToolAdapter = {
  platform: 'claude-code',
  label: 'Claude Code',
  binaries: ['claude'],
  minimumVersion: '1.0.0',
  install: 'npm install -g @anthropic-ai/claude-code',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  supports: { json: true, resume: true, cost: true, tokens: true, autonomyModes: autonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('claude-code', context);
    const prompt = promptFor(step, inputs);
    const args = claudeArgs(prompt, ctx, 'claude-code');
    return { file: ctx.binaryPath, args, env: baseToolEnv(ctx), display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  parseOutput(terminalText: string, exit: ToolExit): ToolResult {
    return parseClaudeStream(terminalText, exit, { tool: 'Claude Code', reportsCost: true });
  },
  lastActivity: claudeLastActivity,
  watchRefusal: (env) => refusalWatch('claude-code', env, jsonEvents(claudeRefusal('Claude Code'))),
  detectionNotes: rootNotes,
};

export const zaiBaseUrl = 'https://api.z.ai/api/anthropic';

/**
 * Credentials of the user's own Anthropic account: never sent to another provider's endpoint. The
 * subscription's OAuth token and an API key would otherwise go to Z.AI with every request.
 */
const anthropicCredentials = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_BASE_URL'];

/**
 * Names a Z.AI agent may give its key (its own secrets, never the user's environment); the key
 * reaches Claude Code as ANTHROPIC_AUTH_TOKEN, the bearer token Z.AI's endpoint expects.
 */
const zaiKeyNames = ['ANTHROPIC_AUTH_TOKEN', 'ZAI_API_KEY', 'Z_AI_API_KEY', 'ZHIPU_API_KEY', 'ANTHROPIC_API_KEY'];

export const zaiAdapter: AiToolAdapter = {
  platform: 'zai',
  label: 'Z.AI (GLM via Claude Code)',
  binaries: ['claude'],
  minimumVersion: '1.0.0',
  install: 'npm install -g @anthropic-ai/claude-code',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  // Claude Code prices tokens at Anthropic's rates; for GLM models that number is not what Z.AI bills.
  supports: { json: true, resume: true, cost: false, tokens: true, autonomyModes: autonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('zai', context);
    const prompt = promptFor(step, inputs);
    const args = claudeArgs(prompt, ctx, 'zai');
    return { file: ctx.binaryPath, args, ...zaiConnection(ctx), display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  connection: zaiConnection,
  parseOutput(terminalText: string, exit: ToolExit): ToolResult {
    return parseClaudeStream(terminalText, exit, { tool: 'Z.AI (Claude Code)', reportsCost: false });
  },
  lastActivity: claudeLastActivity,
  watchRefusal: (env) => refusalWatch('zai', env, jsonEvents(claudeRefusal('Z.AI (Claude Code)'))),
  detectionNotes: rootNotes,
};

/** Claude Code's environment pointed at Z.AI, with the agent's key and none of the user's Anthropic credentials. */
function zaiConnection(ctx: InvocationContext): { env: Record<string, string>; unsetEnv: string[] } {
  const env = baseToolEnv(ctx);
  const key = zaiKeyNames.map((name) => env[name]).find((value) => value !== undefined);
  // Without a key Claude Code would fall back to the user's own Anthropic login, sent to Z.AI.
  if (key === undefined) {
    throw new PhotonError('invalid', `zai: no Z.AI key; give the agent a secret for ANTHROPIC_AUTH_TOKEN (or ZAI_API_KEY)`);
  }
  for (const name of zaiKeyNames) delete env[name];
  env.ANTHROPIC_BASE_URL = zaiBaseUrl;
  env.ANTHROPIC_AUTH_TOKEN = key;
  return { env, unsetEnv: anthropicCredentials };
}
