import { z } from 'zod';

/**
 * A step's (or agent's) fence: what the process may write and whether it may reach the network.
 * Strict, so a misspelt key ("netwrok") is an error instead of a sandbox silently weaker or
 * stronger than the author meant.
 */
export const sandboxSchema = z
  .object({
    /** Off by default: the sandbox has its own loopback only. An AI tool needs it on to reach its API. */
    network: z.boolean().default(false),
    /**
     * Folders the process may write besides its private temp folder: `"worktree"` (the step's
     * worktree, or its working folder without one), absolute paths, `~/...`, or paths relative to
     * the worktree. Everything else is read-only or hidden.
     */
    write: z.array(z.string().trim().min(1).max(4096)).max(32).default(['worktree']),
  })
  .strict();

export type SandboxInput = z.input<typeof sandboxSchema>;
export type Sandbox = z.output<typeof sandboxSchema>;

/** The word in `write` that stands for the step's own folder. */
export const worktreeWrite = 'worktree';

/** Whether a step runs fenced in: its own `sandbox`, else its agent's. */
export function sandboxOf(step: { sandbox?: Sandbox }, agent?: { sandbox?: Sandbox | null } | null): Sandbox | undefined {
  return step.sandbox ?? agent?.sandbox ?? undefined;
}
