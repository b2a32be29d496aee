import type { SavedAgent } from '../../shared/agents.js';
import type { ToolDetection } from '../../shared/tools.js';

/** One entry of "New session"'s agent list: a saved agent or a tool's defaults, startable or not (and why). */
export interface SessionChoice {
  key: string;
  label: string;
  tool: string;
  /** The saved agent (its variables, secrets and rules go with the session), or null for a tool's defaults. */
  agentId: string | null;
  agentName: string | null;
  available: boolean;
  /** Why it cannot start, with the fix (the adapter's install command). */
  why: string;
}

/**
 * What "New session" offers: every saved agent whose tool has an ACP mode (its environment,
 * secrets and rules then apply),
 * then each such tool with its defaults. A tool whose adapter is missing is listed, disabled, with
 * how to install it; tools without an ACP mode are not offered (they open in a terminal instead).
 */
export function sessionChoices(tools: readonly ToolDetection[], agents: readonly Pick<SavedAgent, 'id' | 'name' | 'tool'>[]): SessionChoice[] {
  const acpTools = tools.filter((tool) => tool.acp);
  const byTool = new Map(acpTools.map((tool) => [tool.platform, tool]));
  const state = (tool: ToolDetection) => {
    const acp = tool.acp!;
    if (acp.available) return { available: true, why: '' };
    return { available: false, why: acp.error ?? `its ACP adapter is not installed: ${acp.install}` };
  };
  const choices: SessionChoice[] = [];
  for (const agent of agents) {
    const tool = byTool.get(agent.tool);
    if (!tool) continue;
    choices.push({ key: `agent:${agent.id}`, label: agent.name, tool: tool.platform, agentId: agent.id, agentName: agent.name, ...state(tool) });
  }
  for (const tool of acpTools) choices.push({ key: `tool:${tool.platform}`, label: tool.label, tool: tool.platform, agentId: null, agentName: null, ...state(tool) });
  return choices;
}
