import { homedir } from 'node:os';
import { PhotonError } from '../../../shared/errors.js';
import { existingFolder } from '../paths/index.js';
import type { SecretService } from '../secrets/index.js';
import type { TerminalManager } from '../terminals/index.js';
import { canRun, interactiveInvocation, isAiToolAdapter, mergeEnv, nonEmptyEnv, unusableToolMessage, userShell, type ToolRegistry } from '../tools/index.js';
import type { AgentService } from './agent-service.js';

export interface ToolSessionDeps {
  agents: AgentService;
  tools: ToolRegistry;
  secrets: SecretService;
  terminals: TerminalManager;
  baseEnv: Record<string, string>;
}

export interface ToolSessionRequest {
  tool?: string;
  agentId?: string;
  cwd?: string;
  title?: string;
  cols?: number;
  rows?: number;
}

/**
 * A tool's own interactive session in a terminal: the tool with its defaults, or an agent's tool
 * with its model, environment and secrets. Secret values reach only the tool's environment; the
 * terminal's output is redacted before any view, scrollback or listener sees it.
 */
export async function openToolSession(deps: ToolSessionDeps, request: ToolSessionRequest) {
  const agent = request.agentId !== undefined ? deps.agents.get(request.agentId) : undefined;
  const platform = agent?.tool ?? request.tool!;
  const adapter = deps.tools.adapterFor(platform);
  const folder = existingFolder(request.cwd ?? agent?.cwd ?? '~', homedir(), request.cwd !== undefined ? 'terminals.create cwd' : `agent "${agent?.id}" cwd`);
  const secrets = agent ? await deps.secrets.resolve(agent.secrets, `agent "${agent.id}"`) : undefined;
  const extraEnv = { ...nonEmptyEnv(agent?.env), ...secrets?.env };
  const outputFilter = secrets && !secrets.redactor.isEmpty ? secrets.redactor.stream() : undefined;
  const place = folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
  const terminalEnv = { TERM: 'xterm-256color', COLORTERM: 'truecolor' };

  if (!isAiToolAdapter(adapter)) {
    // A shell agent: the user's login shell with the agent's variables.
    const shell = userShell();
    const handle = deps.terminals.create({
      file: shell.file,
      args: process.platform === 'win32' ? [] : ['-l'],
      cwd: folder,
      env: { ...mergeEnv(deps.baseEnv, { env: extraEnv }), ...terminalEnv },
      cols: request.cols,
      rows: request.rows,
      title: request.title ?? `${agent?.name ?? 'Shell'} · ${place}`,
      command: null,
      outputFilter,
    });
    return { ...handle.info };
  }

  const detection = await deps.tools.detection(platform);
  if (!canRun(detection) || !detection.path) throw new PhotonError('unavailable', unusableToolMessage(detection, adapter));
  const invocation = interactiveInvocation(adapter, {
    binaryPath: detection.path,
    searchPath: detection.searchPath,
    model: agent?.model ?? undefined,
    autonomy: agent?.autonomy,
    env: extraEnv,
  });
  const handle = deps.terminals.create({
    file: invocation.file,
    args: invocation.args,
    cwd: folder,
    env: { ...mergeEnv(deps.baseEnv, invocation), ...terminalEnv },
    cols: request.cols,
    rows: request.rows,
    title: request.title ?? `${agent?.name ?? adapter.label} · ${place}`,
    command: invocation.display,
    outputFilter,
  });
  return { ...handle.info };
}
