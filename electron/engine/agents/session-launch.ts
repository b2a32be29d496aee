import { PhotonError } from '../../../shared/errors.js';
import type { Redactor, SecretService } from '../secrets/index.js';
import { acpInvocation, acpModes, isAiToolAdapter, type AcpInvocation, type ToolRegistry } from '../tools/index.js';
import { agentEnvironment } from './agent-environment.js';
import type { AgentService } from './agent-service.js';
import { ownFolderOnDemand } from './terminal-folder.js';

export interface SessionLaunchDeps {
  agents: AgentService;
  tools: ToolRegistry;
  secrets: SecretService;
  baseEnv: Record<string, string>;
  /** Where a session's own folder goes (DATA_DIR/terminals), for a tool that needs files of its own. */
  dataDir: string;
}

export interface SessionLaunchRequest {
  tool?: string;
  agentId?: string;
}

export interface SessionLaunch extends AcpInvocation {
  tool: string;
  /** The saved agent's name, when the session is one of an agent's. */
  agentName?: string;
  /** Hides the agent's secrets in what the session records; undefined when it has none. */
  redactor?: Redactor;
  /** Removes what the launch made for the session (its own folder); call once it has ended. */
  cleanup: () => Promise<void>;
}

/**
 * How a standalone session's ACP agent starts: with a saved agent, its tool and the same
 * environment its steps and its "Open <tool> here" terminal get (its variables, its secrets from the
 * keychain, mapped to what the tool reads); without one, the tool with the inherited environment.
 * The tool is looked up before the keychain is asked: a missing adapter needs no secret.
 */
export async function sessionLaunch(deps: SessionLaunchDeps, request: SessionLaunchRequest): Promise<SessionLaunch> {
  const agent = request.agentId !== undefined ? deps.agents.get(request.agentId) : undefined;
  if (agent && request.tool !== undefined && request.tool !== agent.tool) {
    throw new PhotonError('invalid', `tool: ${request.tool} is not agent "${agent.id}"'s tool (${agent.tool}); leave tool out to use the agent's`);
  }
  const tool = agent?.tool ?? request.tool;
  if (tool === undefined) throw new PhotonError('invalid', 'sessions.start: give the agentId of a saved agent, or a tool');
  const mode = acpModes[tool];
  if (!mode) throw new PhotonError('invalid', `tool: ${tool} has no ACP mode; these do: ${Object.keys(acpModes).join(', ')}`);
  const adapter = deps.tools.adapterFor(tool);
  if (!isAiToolAdapter(adapter)) throw new PhotonError('invalid', `tool: ${tool} is not an AI tool`);
  const { acp: found, searchPath } = await deps.tools.detection(tool);
  if (!found?.available || !found.path) throw new PhotonError('unavailable', found?.error ?? `${tool}'s ACP adapter is not installed: ${mode.install}`);

  const { env, redactor } = await agentEnvironment(deps.secrets, agent);
  const folder = ownFolderOnDemand(deps.dataDir);
  try {
    const invocation = acpInvocation(adapter, mode, {
      binaryPath: found.path,
      model: agent?.model ?? undefined,
      autonomy: agent?.autonomy,
      env,
      inherited: deps.baseEnv,
      searchPath,
      folder: folder.path,
    });
    return { ...invocation, tool, agentName: agent?.name, redactor, cleanup: folder.remove };
  } catch (error) {
    await folder.remove();
    throw error;
  }
}
