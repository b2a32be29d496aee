import type { Agent } from '../../../shared/agents.js';
import type { OutputFilter } from '../terminals/index.js';
import type { Redactor, SecretService } from '../secrets/index.js';
import { nonEmptyEnv } from '../tools/index.js';

/** What an agent adds to its tool's process: its variables and secrets, and what hides those secrets' values. */
export interface AgentEnvironment {
  env: Record<string, string>;
  /** For a terminal's byte stream. */
  outputFilter: OutputFilter | undefined;
  /** For structured output (a session's conversation); undefined when the agent has no secret. */
  redactor?: Redactor;
}

/**
 * The agent's extra variables (empty ones dropped) with its secrets read from the keychain, for a
 * step's attempt, the agent's own terminal and its standalone ACP sessions alike. Read as late as possible, so a value lives
 * in memory only for the moment the process needs it.
 */
export async function agentEnvironment(secrets: SecretService, agent: Agent | null | undefined): Promise<AgentEnvironment> {
  if (!agent) return { env: {}, outputFilter: undefined, redactor: undefined };
  const resolved = agent.secrets.length > 0 ? await secrets.resolve(agent.secrets, `agent "${agent.id}"`) : undefined;
  const redactor = resolved && !resolved.redactor.isEmpty ? resolved.redactor : undefined;
  return { env: { ...nonEmptyEnv(agent.env), ...resolved?.env }, outputFilter: redactor?.stream(), redactor };
}
