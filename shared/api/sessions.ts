import { z } from 'zod';
import type { SessionEntry, SessionInfo } from '../sessions.js';
import { id, lazyMethods, returns } from './schema.js';

/** Structured sessions with agents over ACP. */
export const sessionMethods = lazyMethods({
  /**
   * Opens a structured session with an agent over ACP (the tool's adapter, see `tools.list`'s
   * `acp`) in `cwd`; resolves once the agent is ready. With `agentId`, the saved agent's tool runs
   * with its variables and keychain secrets (as its steps and terminals get them, the secrets'
   * values hidden in the conversation) under its rules; with `tool` alone, with the inherited
   * environment (`agentName` then picks whose rules apply). A tool without an ACP mode, or whose
   * adapter is not installed, is refused saying how to get it.
   */
  'sessions.start': {
    params: () => z
      .object({ tool: id.optional(), agentId: id.optional(), cwd: z.string().min(1).max(4096), agentName: z.string().min(1).max(200).optional() })
      .strict()
      .refine((p) => p.tool !== undefined || p.agentId !== undefined, { message: 'give agentId (a saved agent) or tool' }),
    result: returns<SessionInfo>(),
  },
  /** Sends a message; while a turn runs it is queued (`queued`) and sent when the turn ends. */
  'sessions.send': { params: () => z.object({ id, text: z.string().min(1).max(100_000) }).strict(), result: returns<SessionInfo>() },
  /** Stops the current turn, not the session: its pending permission requests are cancelled. */
  'sessions.cancel': { params: () => z.object({ id }).strict(), result: returns<SessionInfo>() },
  /** Ends the session and stops the agent's processes. */
  'sessions.close': { params: () => z.object({ id }).strict(), result: returns<SessionInfo>() },
  /**
   * Standalone sessions this engine holds, newest first; with `runId`, the sessions that run's AI
   * steps ran as (one per attempt, stored with it), by step and attempt.
   */
  'sessions.list': { params: () => z.object({ runId: id.optional() }).strict().optional(), result: returns<SessionInfo[]>() },
  /** A session's state and its whole conversation (a run step's too, after it ended), for a view that opens after it started. */
  'sessions.get': { params: () => z.object({ id }).strict(), result: returns<{ info: SessionInfo; entries: SessionEntry[] }>() },
});
