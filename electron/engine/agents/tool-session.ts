import { homedir } from 'node:os';
import { PhotonError } from '../../../shared/errors.js';
import { existingFolder } from '../paths/index.js';
import type { SecretService } from '../secrets/index.js';
import type { TerminalHandle, TerminalManager } from '../terminals/index.js';
import { interactiveInvocation, isAiToolAdapter, mergeEnv, userShell, type ToolRegistry } from '../tools/index.js';
import { agentEnvironment } from './agent-environment.js';
import type { AgentService } from './agent-service.js';
import { prepareTerminalFolder } from './terminal-folder.js';

export interface ToolSessionDeps {
  agents: AgentService;
  tools: ToolRegistry;
  secrets: SecretService;
  terminals: TerminalManager;
  baseEnv: Record<string, string>;
  /** Where a tool's own folder goes (DATA_DIR/terminals). */
  dataDir: string;
  /** Makes a new worktree of the repository `folder` is in (the workspaces' TerminalWorktrees.make). */
  inWorktree?: (folder: string, base: string | undefined) => Promise<TerminalWorktree>;
}

/** A terminal's own worktree: where it starts, its variables, and what to do when it ends. */
export interface TerminalWorktree {
  cwd: string;
  branch: string;
  env: Record<string, string>;
  closed(): void;
  abandon(): Promise<void>;
}

export interface ToolSessionRequest {
  tool?: string;
  agentId?: string;
  /** With neither tool nor agent: a command for the user's shell to run instead of an interactive shell. */
  command?: string;
  cwd?: string;
  title?: string;
  cols?: number;
  rows?: number;
  /** Start in a new worktree of the repository the folder is in, from `base`. */
  worktree?: { base?: string };
}

const terminalEnv = { TERM: 'xterm-256color', COLORTERM: 'truecolor' };

/**
 * A terminal the user opens: their login shell (or a command in it), a tool's own interactive
 * session with its defaults, or an agent's tool with its model, environment and secrets. A tool
 * gets its key and endpoint as a step's attempt does (Codex's CODEX_API_KEY and openai_base_url,
 * Gemini's own home for a custom endpoint), from the agent's variables or the inherited ones.
 * Secret values reach only the tool's environment; the terminal's output is redacted before any
 * view, scrollback or listener sees it.
 */
export async function openToolSession(deps: ToolSessionDeps, request: ToolSessionRequest) {
  if (!request.worktree) return openIn(deps, request);
  const agent = request.agentId !== undefined ? deps.agents.get(request.agentId) : undefined;
  const asked = existingFolder(request.cwd ?? agent?.cwd ?? '~', homedir(), request.cwd !== undefined ? 'terminals.create cwd' : `agent "${agent?.id}" cwd`);
  if (!deps.inWorktree) throw new PhotonError('unavailable', 'terminals.create worktree: this engine cannot make worktrees');
  const worktree = await deps.inWorktree(asked, request.worktree.base);
  try {
    return await openIn(deps, request, worktree);
  } catch (error) {
    // Nothing ran in it: the worktree and its branch go rather than pile up.
    await worktree.abandon().catch(() => undefined);
    throw error;
  }
}

async function openIn(deps: ToolSessionDeps, request: ToolSessionRequest, worktree?: TerminalWorktree) {
  const agent = request.agentId !== undefined ? deps.agents.get(request.agentId) : undefined;
  const platform = agent?.tool ?? request.tool ?? 'shell';
  const adapter = deps.tools.adapterFor(platform);
  const folder = worktree?.cwd ?? existingFolder(request.cwd ?? agent?.cwd ?? '~', homedir(), request.cwd !== undefined ? 'terminals.create cwd' : `agent "${agent?.id}" cwd`);
  const place = worktree?.branch ?? folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
  const worktreeEnv = worktree?.env ?? {};
  const ai = isAiToolAdapter(adapter) ? adapter : undefined;
  // The tool is looked up before the keychain is asked: a missing tool needs no secret.
  const detection = ai ? await deps.tools.requireRunnable(ai) : undefined;
  const { env: extraEnv, outputFilter } = await agentEnvironment(deps.secrets, agent);

  if (!ai || !detection) {
    // The user's shell, interactive and as a login shell so their profile's PATH applies, or running a command.
    const shell = userShell(deps.baseEnv);
    const command = request.command;
    const shellTitle = agent?.name ?? (request.tool !== undefined ? 'Shell' : (shell.file.split(/[\\/]/).pop() ?? shell.file));
    const handle = deps.terminals.create({
      file: shell.file,
      args: command === undefined ? (process.platform === 'win32' ? [] : ['-l']) : shell.args(command),
      cwd: folder,
      env: { ...mergeEnv(deps.baseEnv, { env: extraEnv }), ...terminalEnv, ...worktreeEnv },
      cols: request.cols,
      rows: request.rows,
      title: request.title ?? command ?? `${shellTitle} · ${place}`,
      command: command ?? null,
      outputFilter,
    });
    if (worktree) handle.onExit(() => worktree.closed());
    // The caller gets the pid: the terminal host reports it just after the start.
    await handle.started;
    return { ...handle.info };
  }

  const invocation = interactiveInvocation(ai, {
    binaryPath: detection.path,
    searchPath: detection.searchPath,
    model: agent?.model ?? undefined,
    autonomy: agent?.autonomy,
    env: extraEnv,
    inherited: deps.baseEnv,
  });
  const env = { ...mergeEnv(deps.baseEnv, invocation), ...terminalEnv };
  const own = prepareTerminalFolder(deps.dataDir, ai, env, extraEnv);
  let handle: TerminalHandle;
  try {
    handle = deps.terminals.create({
      file: invocation.file,
      args: invocation.args,
      cwd: folder,
      env: { ...env, ...own.env, ...worktreeEnv },
      cols: request.cols,
      rows: request.rows,
      title: request.title ?? `${agent?.name ?? ai.label} · ${place}`,
      command: invocation.display,
      outputFilter,
    });
  } catch (error) {
    await own.remove();
    throw error;
  }
  handle.onExit(() => {
    void own.remove();
    worktree?.closed();
  });
  await handle.started;
  return { ...handle.info };
}
