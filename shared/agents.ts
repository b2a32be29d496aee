import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';
import { sandboxSchema } from './sandbox.js';
import { hostNameSchema } from './hosts.js';
import { platformIds } from './platforms.js';
import { stepModes } from './sessions.js';
import { budgetSchema } from './workflow.js';

/**
 * An agent: a named, saved configuration of one tool. A step's `agent` names one by id, or asks
 * for `"auto"` with the capabilities it `requires`.
 */
export const autonomyModes = ['default', 'auto-edit', 'full'] as const;
export type AutonomyMode = (typeof autonomyModes)[number];

const variableName = lazySchema(() => z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)'));

export const agentSchema = lazySchema(() =>
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use letters, digits, dot, dash or underscore (up to 64)'),
      name: z.string().trim().min(1).max(100),
      tool: z.enum(platformIds as [string, ...string[]]),
      model: z.string().max(200).nullable().default(null),
      cwd: z.string().max(4096).nullable().default(null),
      capabilities: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
      /** Where its steps run: here, or on the host named by `host` (see shared/hosts.ts). */
      location: z.enum(['local', 'remote']).default('local'),
      host: hostNameSchema.optional(),
      autonomy: z.enum(autonomyModes).default('default'),
      /** Every step this agent runs is fenced in, unless the step has a sandbox of its own (see shared/sandbox.ts). */
      sandbox: sandboxSchema.optional(),
      env: z.record(variableName, z.string().max(10_000)).default({}),
      /** Keychain secrets this agent uses, and the variable each one fills in the tool's environment. */
      secrets: z.array(z.object({ secret: z.string().min(1).max(200), variable: variableName }).strict()).max(20).default([]),
      maxConcurrentSteps: z.number().int().min(1).max(64).default(1),
      /**
       * Seconds between the heartbeats the agent's own process sends (`agents.heartbeat`, or POST
       * /api/v1/agents/:id/heartbeat). After three intervals without one it is `inactive`, and
       * `"agent": "auto"` passes it over, until the next one arrives.
       */
      heartbeatIntervalSeconds: z.number().min(0.1).max(86_400).optional(),
      /** How its steps run when they do not say: an ACP session or headless (see the step's `mode`). */
      mode: z.enum(stepModes).optional(),
      /**
       * What this agent's steps may spend within one run (cost as the tools report it, tokens in and
       * out); past it, its next step waits for the user's OK in the inbox, or fails (`onExceed`).
       */
      budget: budgetSchema.optional(),
      /** What this agent may spend in one local day across all runs, in USD; past it, as `budget.onExceed` says. */
      dailyCapUsd: z.number().positive().max(1_000_000).optional(),
    })
    .strict(),
);

export type AgentInput = z.input<typeof agentSchema>;
export type Agent = z.output<typeof agentSchema>;

export interface SavedAgent extends Agent {
  createdAt: string;
  updatedAt: string;
}

export type AgentStatus = 'idle' | 'busy' | 'error' | 'unavailable' | 'inactive';

/** Heartbeats an agent may miss before it counts as inactive. */
export const missedHeartbeatsAllowed = 3;

export interface AgentStats {
  agentId: string;
  status: AgentStatus;
  /** Why the agent is in error or unavailable. */
  reason: string | null;
  running: { runId: string; step: number }[];
  stepsDone: number;
  succeeded: number;
  failed: number;
  /** Between 0 and 1; null before the agent ran anything. */
  successRate: number | null;
  averageDurationMs: number | null;
  costUsd: number;
  tokens: { input: number; output: number };
  /** The last heartbeat this engine received, for an agent that sends them. */
  lastHeartbeatAt?: string | null;
}

/**
 * The cap on AI agents running at once across every run of an engine: a ready AI step past it
 * waits (`waitingFor: 'agent-cap'`) until one ends. `source` says where the value comes from: the
 * engine's own option (`--max-agents`, which wins while that engine runs), the saved setting, or
 * the default, this machine's CPU cores.
 */
export interface AgentCap {
  maxAgents: number;
  source: 'engine' | 'saved' | 'default';
  /** The saved setting, null when none is saved. */
  saved: number | null;
  defaultMaxAgents: number;
  /** AI agents running now, in every run of this engine. */
  running: number;
}

export const maxAgentsLimit = 1024;

/** The specification's weights for picking an agent for `"agent": "auto"`. */
export const agentScoreWeights = { capability: 0.4, performance: 0.3, availability: 0.2, location: 0.1 } as const;
