import type { Agent } from '../../../shared/agents.js';
import type { OutputFilter } from '../terminals/index.js';
import type { SecretService } from '../secrets/index.js';
import { nonEmptyEnv } from '../tools/index.js';

/** What an agent adds to its tool's process: its variables and secrets, and the filter that hides those secrets' values. */
export interface AgentEnvironment {
  env: Record<string, string>;
  outputFilter: OutputFilter | undefined;
}

/**
 * The agent's extra variables (empty ones dropped) with its secrets read from the keychain, for a
 * step's attempt and for the agent's own terminal alike. Read as late as possible, so a value lives
 * in memory only for the moment the process needs it.
 */
export async function agentEnvironment(secrets: SecretService, agent: Agent | null | undefined): Promise<AgentEnvironment> {
  if (!agent) return { env: {}, outputFilter: undefined };
  const resolved = agent.secrets.length > 0 ? await secrets.resolve(agent.secrets, `agent "${agent.id}"`) : undefined;
  return {
    env: { ...nonEmptyEnv(agent.env), ...resolved?.env },
    outputFilter: resolved && !resolved.redactor.isEmpty ? resolved.redactor.stream() : undefined,
  };
}
