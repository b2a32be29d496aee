/** OpenAI's Codex CLI: `codex exec --json PROMPT`, JSONL thread/turn/item events on stdout. */
import type { WorkflowStep } from '../../../shared/workflow.js';
import { autonomyOf, baseToolEnv, displayCommand, promptArg, promptFor, requireContext } from './prompt.js';
import { codexTerminalHome } from './codex-home.js';
import { codexLastActivity } from './last-activity.js';
import { codexRefusal, jsonEvents, refusalWatch } from './refusal-watch.js';
import { withoutUndefined } from './stream-json.js';
import { exitDescription, jsonLines, numberField, objectField, stringField, textTail } from './terminal-text.js';
import type { AiToolAdapter, AutonomyMode, Invocation, InvocationContext, TokenUsage, ToolExit, ToolResult } from './tool-adapter.js';

/** `--sandbox` per autonomy; exec never asks, so the sandbox is what bounds it (default read-only). */
const sandboxModes: Record<AutonomyMode, string | undefined> = {
  default: undefined,
  'auto-edit': 'workspace-write',
  full: 'danger-full-access',
};

const autonomy: AutonomyMode[] = ['default', 'auto-edit', 'full'];

export const codexAdapter: AiToolAdapter = {
  platform: 'codex',
  label: 'Codex',
  binaries: ['codex'],
  minimumVersion: '0.50.0',
  install: 'npm install -g @openai/codex',
  versionArgs: ['--version'],
  helpArgs: ['exec', '--help'],
  supports: { json: true, resume: true, cost: false, tokens: true, autonomyModes: autonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('codex', context);
    const prompt = promptFor(step, inputs);
    // A workflow's folder need not be a git repository; Codex refuses to start outside one without this.
    const args = ['exec', '--json', '--skip-git-repo-check'];
    if (ctx.model?.trim()) args.push('--model', ctx.model.trim());
    const sandbox = sandboxModes[autonomyOf('codex', ctx, autonomy)];
    if (sandbox) args.push('--sandbox', sandbox);
    const { env, args: connect } = codexConnection(ctx);
    args.push(...connect, promptArg(prompt));
    return { file: ctx.binaryPath, args, env, display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  connection: codexConnection,
  // The interactive TUI reads no key from the environment: it signs in from $CODEX_HOME/auth.json.
  prepareFolder: (env, folder, use) => (use.for === 'terminal' ? codexTerminalHome(env, folder, use.agentEnv) : {}),
  parseOutput: parseCodexJsonl,
  lastActivity: codexLastActivity,
  watchRefusal: (env) => refusalWatch('codex', env, jsonEvents(codexRefusal)),
};

/**
 * The key and endpoint where the installed Codex looks for them, for `codex exec` and an
 * interactive `codex` alike. 0.171 sends no credentials when only OPENAI_API_KEY is set (every
 * request 401) and reads CODEX_API_KEY, which older versions ignore; OPENAI_API_KEY stays for
 * those. It ignores OPENAI_BASE_URL and reads its endpoint from the config key `openai_base_url`,
 * which older versions ignore while they read the variable, which stays set. The agent's own
 * variables come first, then the inherited environment's, each CODEX_API_KEY before OPENAI_API_KEY.
 */
function codexConnection(ctx: InvocationContext): { env: Record<string, string>; args: string[] } {
  const env = baseToolEnv(ctx);
  const key = firstSet(['CODEX_API_KEY', 'OPENAI_API_KEY'], env, ctx.inherited);
  if (key !== undefined) env.CODEX_API_KEY = key;
  const baseUrl = firstSet(['OPENAI_BASE_URL'], env, ctx.inherited);
  return { env, args: baseUrl ? ['-c', `openai_base_url=${JSON.stringify(baseUrl)}`] : [] };
}

function firstSet(names: readonly string[], ...sources: (Readonly<Record<string, string>> | undefined)[]): string | undefined {
  for (const source of sources) {
    for (const name of names) {
      const value = source?.[name];
      if (value !== undefined && value.trim() !== '') return value;
    }
  }
  return undefined;
}

export function parseCodexJsonl(text: string, exit: ToolExit): ToolResult {
  let threadId: string | undefined;
  let lastMessage: string | undefined;
  let failure: string | undefined;
  let lastError: string | undefined;
  let turns = 0;
  let tokens: TokenUsage | undefined;

  for (const event of jsonLines(text)) {
    switch (event.type) {
      case 'thread.started':
        threadId = stringField(event, 'thread_id') ?? threadId;
        break;
      case 'item.completed': {
        const item = objectField(event, 'item');
        if (item?.type === 'agent_message') lastMessage = stringField(item, 'text') ?? lastMessage;
        break;
      }
      case 'turn.completed': {
        turns++;
        const usage = objectField(event, 'usage');
        if (usage) {
          tokens = {
            input: (tokens?.input ?? 0) + (numberField(usage, 'input_tokens') ?? 0),
            output: (tokens?.output ?? 0) + (numberField(usage, 'output_tokens') ?? 0),
            cached: (tokens?.cached ?? 0) + (numberField(usage, 'cached_input_tokens') ?? 0),
          };
        }
        break;
      }
      case 'turn.failed':
        failure = stringField(objectField(event, 'error'), 'message') ?? 'no message';
        break;
      case 'error':
        // Also used for retries ("Reconnecting... 2/5"): only fatal when no turn completes.
        lastError = stringField(event, 'message') ?? lastError;
        break;
    }
  }

  const authFailure = /\b(401 Unauthorized|403 Forbidden)\b/.test(failure ?? lastError ?? '') || undefined;
  let error: string | undefined;
  if (failure !== undefined) {
    error = `Codex failed: ${failure}`;
  } else if (turns === 0) {
    const said = lastError ?? textTail(text, 3);
    error = `Codex stopped before finishing its turn (${exitDescription(exit)})${said ? `: ${said}` : ''}`;
  } else if (exit.exitCode !== 0) {
    const said = textTail(text, 3);
    error = `Codex ${exitDescription(exit)}${said ? `: ${said}` : ''}`;
  }
  return withoutUndefined({ output: lastMessage ?? '', sessionId: threadId, tokens, turns: turns || undefined, error, authFailure });
}
