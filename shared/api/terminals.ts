import { z } from 'zod';
import type { TerminalInfo } from '../terminals.js';
import { id, lazyMethods, noParams, returns } from './schema.js';

/** Terminals: open, attach (with flow control), type, resize, kill. */
export const terminalMethods = lazyMethods({
  /**
   * Opens a terminal: the user's shell in a folder, a command in it, or an AI tool's interactive
   * session (`tool` with its default settings, or `agentId` with that agent's model, environment
   * and secrets).
   */
  'terminals.create': {
    params: () => z
      .object({
        cwd: z.string().min(1).max(4096).optional(),
        command: z.string().min(1).max(100_000).optional(),
        tool: z.string().min(1).max(64).optional(),
        agentId: id.optional(),
        title: z.string().max(200).optional(),
        cols: z.number().int().min(2).max(1000).optional(),
        rows: z.number().int().min(1).max(1000).optional(),
        /**
         * Start in a new worktree (branch `photon/term-<id>`) of the repository `cwd` is in, from
         * `base` (default its current branch), with PHOTON_WORKTREE, PHOTON_BRANCH and
         * PHOTON_PORT_BASE; the worktree stays after the terminal closes, until prune.
         */
        worktree: z.object({ base: z.string().min(1).max(256).optional() }).strict().optional(),
      })
      .strict()
      .refine((p) => [p.command, p.tool, p.agentId].filter((v) => v !== undefined).length <= 1, {
        message: 'give at most one of command, tool or agentId',
      }),
    result: returns<TerminalInfo>(),
  },
  'terminals.list': { params: () => noParams, result: returns<TerminalInfo[]>() },
  /** Starts receiving a terminal's output (and counting in its flow control); returns what was missed. */
  'terminals.attach': { params: () => z.object({ id }).strict(), result: returns<{ terminal: TerminalInfo; scrollback: string }>() },
  'terminals.detach': { params: () => z.object({ id }).strict(), result: returns<null>() },
  /** Characters of `terminal.data` the view has consumed since its last acknowledgement. */
  'terminals.ack': { params: () => z.object({ id, chars: z.number().int().min(0).max(100_000_000) }).strict(), result: returns<null>() },
  'terminals.write': { params: () => z.object({ id, data: z.string().max(65_536) }).strict(), result: returns<null>() },
  'terminals.resize': {
    params: () => z.object({ id, cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
    result: returns<null>(),
  },
  /** Kills the terminal's whole process group. */
  'terminals.kill': { params: () => z.object({ id }).strict(), result: returns<null>() },
  /** Kills it if it runs and forgets it (closing its tab). */
  'terminals.close': { params: () => z.object({ id }).strict(), result: returns<null>() },
  /** The terminal of a step's latest attempt, while the engine still holds it. */
  'terminals.forStep': { params: () => z.object({ runId: id, step: z.number().int().min(1) }).strict(), result: returns<TerminalInfo | null>() },
});
