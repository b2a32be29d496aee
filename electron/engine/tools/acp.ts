import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AcpDetection } from '../../../shared/tools.js';
import { findExecutable } from './detect.js';
import { linkUserFiles } from './linked-home.js';
import { baseToolEnv } from './prompt.js';
import type { AiToolAdapter, InvocationContext } from './tool-adapter.js';

/**
 * Which tools can run as an Agent Client Protocol session, and how each is started. Claude Code
 * and Codex speak ACP through adapters published on npm (each runs its vendor's agent code, not
 * the installed CLI); Gemini CLI speaks it itself with `--acp`.
 */
export interface AcpMode {
  /** Executable names to look for on the login shell's PATH, in order. */
  binaries: readonly string[];
  args: readonly string[];
  /** How a user installs it. */
  install: string;
  /** ACP `authenticate` method to call after `initialize`, for adapters that need one. */
  authMethod?: string;
  /** How long `initialize` and `session/new` may take: gemini needs 3 to 6 s warm, 16 s cold. */
  startTimeoutMs: number;
  /** Variables its process needs beyond the tool's own (see CLI-FACTS.md, ACP). */
  env?: Record<string, string>;
  /**
   * What differs from the tool's own key and endpoint mapping (the adapter's `connection`): extra
   * arguments, the sign-in method, files the adapter needs in a folder of the session's own.
   */
  session?: (env: Readonly<Record<string, string>>, inherited: Readonly<Record<string, string>>, folder: () => string) => AcpSessionSetup;
  /**
   * How the agent's model reaches it: arguments at start, or `'acp'` for an adapter that only keeps
   * a model chosen over ACP after `session/new` (see AcpInvocation.model).
   */
  model: ((model: string) => string[]) | 'acp';
}

interface AcpSessionSetup {
  args?: string[];
  env?: Record<string, string>;
  /** Variables to drop from the agent's environment. */
  unsetEnv?: string[];
  authMethod?: string;
}

export const acpModes: Readonly<Record<string, AcpMode>> = {
  'claude-code': {
    binaries: ['claude-agent-acp'],
    args: [],
    install: 'npm install -g @zed-industries/claude-agent-acp',
    startTimeoutMs: 30_000,
    session: claudeSession,
    // At session/new it selects its first listed model (Claude Code's default) unless its settings
    // file names one, which overrides ANTHROPIC_MODEL; a model set over ACP afterwards is kept, and
    // it takes aliases such as "sonnet" (claude-agent-acp 0.23.1).
    model: 'acp',
  },
  codex: {
    binaries: ['codex-acp'],
    args: [],
    install: 'npm install -g @zed-industries/codex-acp',
    startTimeoutMs: 30_000,
    session: codexSession,
    // A TOML string: JSON's quoting and escapes are valid TOML basic-string syntax.
    model: (model) => ['-c', `model=${JSON.stringify(model)}`],
  },
  gemini: {
    binaries: ['gemini'],
    args: ['--acp'],
    install: 'npm install -g @google/gemini-cli',
    startTimeoutMs: 60_000,
    // Its always-allow fails in a folder it does not trust; Photon asks in its own inbox anyway.
    env: { GEMINI_CLI_TRUST_WORKSPACE: 'true' },
    model: (model) => ['--model', model],
  },
};

/** The ACP mode's flags (gemini's `--acp`) that a tool's help text does not list. */
export function acpFlagsUnlisted(platform: string, helpText: string): string[] {
  return (acpModes[platform]?.args ?? []).filter((flag) => !new RegExp(`(^|[\\s,])${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,=])`, 'm').test(helpText));
}

/** Whether the platform has an ACP mode, and where its executable is on this PATH. */
export function detectAcp(platform: string, searchPath: string, env: Record<string, string | undefined>): AcpDetection | undefined {
  const mode = acpModes[platform];
  if (!mode) return undefined;
  const found = findExecutable(mode.binaries, searchPath, env);
  const command = [mode.binaries[0], ...mode.args].join(' ');
  if (!found) return { available: false, path: null, command, install: mode.install, error: `no ${mode.binaries.map((b) => `"${b}"`).join(' or ')} on the login shell's PATH: ${mode.install}` };
  return { available: true, path: found.path, command: [found.name, ...mode.args].join(' '), install: mode.install };
}

/** How an ACP agent's process is started for one session. */
export interface AcpInvocation {
  command: string;
  args: string[];
  /** Its whole environment: the inherited one, the agent's variables and secrets, and what the tool maps them to. */
  env: Record<string, string>;
  authMethod?: string;
  startTimeoutMs: number;
  /** The agent's model, to select over ACP (`session/set_config_option`) once the session exists. */
  model?: string;
}

/**
 * The ACP agent of a tool with an agent's variables and secrets, mapped as a step's attempt maps
 * them (the adapter's `connection`: Codex's CODEX_API_KEY and `-c openai_base_url`, Z.AI's
 * endpoint), so a session reaches the same model with the same key as the agent's steps; the
 * agent's model goes the way its adapter reads it (`AcpMode.model`).
 * `folder` makes the session's own folder, for a tool that needs files of its own.
 */
export function acpInvocation(adapter: AiToolAdapter, mode: AcpMode, context: InvocationContext & { inherited: Readonly<Record<string, string>>; folder: () => string }): AcpInvocation {
  const { args: connect = [], env: mapped, unsetEnv = [] } = adapter.connection?.(context) ?? { env: baseToolEnv(context) };
  const env: Record<string, string> = { ...context.inherited };
  for (const name of unsetEnv) delete env[name];
  Object.assign(env, mapped, mode.env);
  const own = mode.session?.(env, context.inherited, context.folder) ?? {};
  for (const name of own.unsetEnv ?? []) delete env[name];
  Object.assign(env, own.env);
  const model = context.model?.trim() || undefined;
  const modelArgs = model && mode.model !== 'acp' ? mode.model(model) : [];
  return {
    command: context.binaryPath,
    args: [...mode.args, ...connect, ...(own.args ?? []), ...modelArgs],
    env,
    authMethod: own.authMethod ?? mode.authMethod,
    startTimeoutMs: mode.startTimeoutMs,
    ...(model && mode.model === 'acp' ? { model } : {}),
  };
}

/**
 * As root, claude-agent-acp offers Claude Code's bypass mode whenever IS_SANDBOX has a value, and
 * then starts Claude Code allowed to skip permissions, which Claude Code refuses as root unless
 * IS_SANDBOX is exactly "1": it exits and every `session/new` fails ("Query closed before response
 * received"; seen with IS_SANDBOX=yes, claude-agent-acp 0.23.1). Photon asks in its own inbox and
 * never bypasses, so a value Claude Code would refuse is left out.
 */
function claudeSession(env: Readonly<Record<string, string>>): AcpSessionSetup {
  const root = process.getuid?.() === 0;
  return root && env.IS_SANDBOX !== undefined && env.IS_SANDBOX !== '1' ? { unsetEnv: ['IS_SANDBOX'] } : {};
}

/** The files of the user's Codex home that hold or guard their own login. */
const codexLoginFiles = ['auth.json', 'auth.json.lock', 'auth.lock'];

/**
 * codex-acp signs in with a key through ACP `authenticate`, which then writes the key in plain
 * text to $CODEX_HOME/auth.json: with a key, the session gets a Codex home of its own (the user's
 * config and history linked in, their login never touched or replaced). Without one it uses the
 * user's own login. It asks before every command that is not read-only (`approval_policy` untrusted):
 * Photon's rules and inbox decide what runs, as for the other agents, rather than Codex's defaults
 * running edits and commands unasked; what is allowed runs in Codex's sandbox, writable in the
 * session's folder only (its default sandbox is read-only, where an allowed edit still fails).
 */
function codexSession(env: Readonly<Record<string, string>>, inherited: Readonly<Record<string, string>>, folder: () => string): AcpSessionSetup {
  const args = ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="workspace-write"'];
  if (!env.CODEX_API_KEY?.trim()) return { args };
  const userCodex = inherited.CODEX_HOME || join(inherited.HOME || homedir(), '.codex');
  const home = join(folder(), 'codex-home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (existsSync(userCodex)) linkUserFiles(userCodex, home, codexLoginFiles);
  return { args, env: { CODEX_HOME: home }, authMethod: 'codex-api-key' };
}
