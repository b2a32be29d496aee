import { z } from 'zod';
import { maxAgentsLimit, type AgentCap, type AgentStats, type SavedAgent } from '../agents.js';
import type { ToolDetection } from '../tools.js';
import { id, lazyMethods, noParams, once, returns } from './schema.js';

/** A keychain entry's name: also how agents refer to it. */
const secretName = once(() =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, dot, dash or underscore (up to 128)'),
);

/** What agents are made of: the AI tools found here, saved agents and their cap, keychain secrets. */
export const agentMethods = lazyMethods({
  /** Each tool Photon can run: installed or not, where, which version, what it supports. Looked up once, then remembered. */
  'tools.list': { params: () => noParams, result: returns<ToolDetection[]>() },
  /** Looks for the tools again (the login shell's PATH included). */
  'tools.detect': { params: () => noParams, result: returns<ToolDetection[]>() },

  'agents.list': { params: () => noParams, result: returns<SavedAgent[]>() },
  'agents.get': { params: () => z.object({ id }).strict(), result: returns<SavedAgent>() },
  /** Creates or replaces the agent with the definition's id; an invalid one is refused naming the field. */
  'agents.save': { params: () => z.object({ agent: z.unknown() }).strict(), result: returns<{ id: string }>() },
  'agents.delete': { params: () => z.object({ id }).strict(), result: returns<{ deleted: boolean }>() },
  /** Each saved agent's status, current steps and record. */
  'agents.stats': { params: () => noParams, result: returns<AgentStats[]>() },
  /** The agent's process is alive: an agent with a heartbeat interval is active again (refused for one without). */
  'agents.heartbeat': { params: () => z.object({ id }).strict(), result: returns<AgentStats>() },
  /** The cap on AI agents running at once across all runs: its value, where it comes from, how many run now. */
  'agents.cap': { params: () => noParams, result: returns<AgentCap>() },
  /** Saves the cap (null: back to the default, the CPU cores); applies at once, to steps already waiting too. */
  'agents.setCap': { params: () => z.object({ maxAgents: z.number().int().min(1).max(maxAgentsLimit).nullable() }).strict(), result: returns<AgentCap>() },

  /** Names in the OS keychain, never values; `available` is false (with the fix in `reason`) without a keychain. */
  'secrets.list': { params: () => noParams, result: returns<{ available: boolean; reason: string | null; names: string[] }>() },
  /** Stores a value in the OS keychain. It is never sent back by any method or event. */
  'secrets.set': { params: () => z.object({ name: secretName(), value: z.string().min(1).max(10_000) }).strict(), result: returns<null>() },
  'secrets.delete': { params: () => z.object({ name: secretName() }).strict(), result: returns<{ deleted: boolean }>() },
});
