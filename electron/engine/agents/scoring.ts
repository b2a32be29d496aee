import { agentScoreWeights, type Agent } from '../../../shared/agents.js';
import type { AgentHistory } from '../storage/index.js';

export interface Candidate {
  agent: Agent;
  history: AgentHistory | undefined;
  running: number;
  /** False when the agent's tool is not installed. */
  usable: boolean;
}

export interface ScoredCandidate {
  agentId: string;
  score: number;
  why: string;
}

/** With no history, an agent counts as average rather than perfect or useless. */
const unknownPerformance = 0.5;

/**
 * The specification's scoring: capability match 40 %, past performance 30 %, availability 20 %,
 * location 10 %; ties broken by id. Agents whose tool is missing are not candidates, and neither
 * are agents with none of the capabilities asked for: a step that requires `testing` must not go
 * to a documentation agent because it happens to be idle and reliable.
 */
export function rankAgents(candidates: readonly Candidate[], requires: readonly string[]): ScoredCandidate[] {
  const wanted = [...new Set(requires)];
  return candidates
    .filter((c) => c.usable && (wanted.length === 0 || wanted.some((capability) => c.agent.capabilities.includes(capability))))
    .map(({ agent, history, running }) => {
      const have = wanted.filter((capability) => agent.capabilities.includes(capability)).length;
      const capability = wanted.length === 0 ? 1 : have / wanted.length;
      const finished = history ? history.succeeded + history.failed : 0;
      const performance = finished > 0 ? history!.succeeded / finished : unknownPerformance;
      const freeSlots = Math.max(0, agent.maxConcurrentSteps - running);
      const availability = freeSlots / agent.maxConcurrentSteps;
      const location = agent.location === 'local' ? 1 : 0;
      const score =
        agentScoreWeights.capability * capability +
        agentScoreWeights.performance * performance +
        agentScoreWeights.availability * availability +
        agentScoreWeights.location * location;
      const why =
        `score ${score.toFixed(3)}: capabilities ${have}/${wanted.length} (${wanted.join(', ') || 'none asked'}), ` +
        `past performance ${finished > 0 ? `${Math.round(performance * 100)}% of ${finished} steps` : 'no history (counted as 50%)'}, ` +
        `${freeSlots}/${agent.maxConcurrentSteps} slots free, location ${agent.location}`;
      return { agentId: agent.id, score, why };
    })
    .sort((a, b) => b.score - a.score || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}
