import type { StateCreator } from 'zustand';
import type { AgentStats, SavedAgent } from '../../shared/agents.js';
import type { ToolDetection } from '../../shared/tools.js';
import type { PhotonState } from './store.js';

/** What the keychain holds, by name only: a secret's value never comes into the renderer. */
export interface SecretNames {
  available: boolean;
  /** Why the keychain cannot be used, with the fix (when `available` is false). */
  reason: string | null;
  names: string[];
}

/**
 * The Agents page's data: saved agents, their live status and record, the tools the engine
 * found, and the names of the secrets in the keychain.
 */
export interface AgentsSlice {
  agents: {
    /** Saved agents, by name. */
    list: SavedAgent[];
    /** False until the first list arrives, so the page can tell "none" from "not yet". */
    loaded: boolean;
    /** Each agent's status and record, keyed by agent id; kept current by `agent.updated`. */
    stats: Record<string, AgentStats>;
    tools: ToolDetection[];
    toolsLoaded: boolean;
    secrets: SecretNames | null;
  };
  agentsLoaded(list: SavedAgent[]): void;
  /** An agent was saved (created or replaced). */
  agentSaved(agent: SavedAgent): void;
  agentRemoved(id: string): void;
  agentStatsLoaded(stats: AgentStats[]): void;
  /** An `agent.updated` event. */
  agentUpdated(stats: AgentStats): void;
  toolsLoaded(tools: ToolDetection[]): void;
  secretsLoaded(secrets: SecretNames): void;
}

type AgentsState = AgentsSlice['agents'];

const byName = (a: SavedAgent, b: SavedAgent) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export function withAgentList(state: AgentsState, list: SavedAgent[]): AgentsState {
  const ids = new Set(list.map((agent) => agent.id));
  // Stats of agents deleted elsewhere go with them; the rest wait for their next update.
  const stats = Object.fromEntries(Object.entries(state.stats).filter(([id]) => ids.has(id)));
  return { ...state, list: [...list].sort(byName), loaded: true, stats };
}

export function withAgent(state: AgentsState, agent: SavedAgent): AgentsState {
  const list = [...state.list.filter((a) => a.id !== agent.id), agent].sort(byName);
  return { ...state, list };
}

export function withoutAgent(state: AgentsState, id: string): AgentsState {
  const { [id]: _removed, ...stats } = state.stats;
  return { ...state, list: state.list.filter((a) => a.id !== id), stats };
}

export function withAgentStats(state: AgentsState, stats: AgentStats[]): AgentsState {
  return { ...state, stats: Object.fromEntries(stats.map((s) => [s.agentId, s])) };
}

/** Only names, whatever else a reply carries: the store must never hold a value. */
export function secretNamesOf(reply: SecretNames): SecretNames {
  return { available: reply.available, reason: reply.reason, names: [...reply.names].sort() };
}

export const createAgentsSlice: StateCreator<PhotonState, [], [], AgentsSlice> = (set) => ({
  agents: { list: [], loaded: false, stats: {}, tools: [], toolsLoaded: false, secrets: null },
  agentsLoaded: (list) => set((s) => ({ agents: withAgentList(s.agents, list) })),
  agentSaved: (agent) => set((s) => ({ agents: withAgent(s.agents, agent) })),
  agentRemoved: (id) => set((s) => ({ agents: withoutAgent(s.agents, id) })),
  agentStatsLoaded: (stats) => set((s) => ({ agents: withAgentStats(s.agents, stats) })),
  agentUpdated: (stats) => set((s) => ({ agents: { ...s.agents, stats: { ...s.agents.stats, [stats.agentId]: stats } } })),
  toolsLoaded: (tools) => set((s) => ({ agents: { ...s.agents, tools, toolsLoaded: true } })),
  secretsLoaded: (secrets) => set((s) => ({ agents: { ...s.agents, secrets: secretNamesOf(secrets) } })),
});
