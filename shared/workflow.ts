import { z } from 'zod';
import { hostNameSchema } from './hosts.js';
import { sandboxSchema } from './sandbox.js';
import { stepModes } from './sessions.js';
import { conflictPolicies, workspaceSchema } from './workspaces.js';

/**
 * The workflow file: the operation format of Photon's specification. Unknown fields are kept
 * (loose objects), so a file written for the specification round-trips through Photon unchanged.
 */

export const retryPolicySchema = z.looseObject({
  maxAttempts: z.number().int().min(1).max(100).default(1),
  initialIntervalMs: z.number().int().min(0).default(1000),
  backoffCoefficient: z.number().min(1).default(2),
  maxIntervalMs: z.number().int().min(0).default(30_000),
  nonRetryableExitCodes: z.array(z.number().int()).default([]),
});

/** What AI steps may spend: cost as the tools report it, tokens in and out. */
export const budgetSchema = z.looseObject({
  costUsd: z.number().positive().optional(),
  tokens: z.number().int().positive().optional(),
  /** "ask" (default): new AI steps wait for the user's OK in the inbox; "fail": they fail with the reason. */
  onExceed: z.enum(['ask', 'fail']).optional(),
});

/** A step that runs a saved workflow as a child run: `inputs.workflow` is its id or name. */
export const subWorkflowPlatform = 'workflow';

export const stepSchema = z.looseObject({
  step: z.number().int().min(1),
  label: z.string().optional(),
  agent: z.string().optional(),
  platform: z.string().min(1),
  action: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
  dependencies: z.array(z.number().int()).default([]),
  timeout: z.number().int().positive().optional(),
  retryPolicy: retryPolicySchema.optional(),
  continueOnFailure: z.boolean().default(false),
  cwd: z.string().optional(),
  /** Runs on this remote host (see shared/hosts.ts) instead of here; `cwd` is then a folder there. */
  host: hostNameSchema.optional(),
  /** Runs fenced in (see shared/sandbox.ts); overrides its agent's. */
  sandbox: sandboxSchema.optional(),
  requires: z.array(z.string()).optional(),
  /** With a workspace: what to do when the results of its dependencies conflict (see shared/workspaces.ts). */
  onConflict: z.enum(conflictPolicies).optional(),
  /**
   * An AI step as an ACP session or headless (see shared/sessions.ts). Unset: its agent's mode, else
   * a session where the tool's ACP adapter is installed; headless whenever the adapter is missing.
   */
  mode: z.enum(stepModes).optional(),
  /** Runs only when this expression over its ancestors is true (see shared/step-condition.ts); else skipped. */
  when: z.string().optional(),
  /** "json": its final output is parsed as JSON (`{{steps.N.json.path}}`); unparsable output fails it. */
  output: z.enum(['text', 'json']).optional(),
  /** A JSON Schema its JSON output must match (with "output": "json"). */
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  /**
   * Fan-out: the step runs once per item, `{{item}}` and `{{index}}` in its inputs. A list, or a
   * template naming an ancestor's JSON list (`{{steps.2.json.files}}`). Its output is the JSON list
   * of its items' outputs, in order.
   */
  forEach: z.union([z.string(), z.array(z.unknown())]).optional(),
  /** With `forEach`: how many items run at once (within the run's concurrency). */
  maxParallel: z.number().int().min(1).max(1000).optional(),
  /**
   * Race: a join step that waits for the first of these steps to succeed, cancels the others, and
   * starts with the winner's output in `{{race.output}}` and its number in `{{race.step}}`. They must be among its dependencies.
   */
  race: z.array(z.number().int()).min(2).optional(),
});

export const workflowSchema = z.looseObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  priority: z.string().optional(),
  workflow: z.array(stepSchema).min(1),
  agents: z.unknown().optional(),
  platforms: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  deadline: z.string().optional(),
  /** Each step in its own git worktree (see shared/workspaces.ts). */
  workspace: workspaceSchema.optional(),
  /** What the run may spend on AI steps; past it, new AI steps wait for the user's OK or fail. */
  budget: budgetSchema.optional(),
});

/** A workflow as written in a file (defaults not yet applied). */
export type WorkflowInput = z.input<typeof workflowSchema>;
/** A workflow after parsing: every default filled in. */
export type Workflow = z.output<typeof workflowSchema>;
export type WorkflowStep = z.output<typeof stepSchema>;
export type RetryPolicy = z.output<typeof retryPolicySchema>;

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 1,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maxIntervalMs: 30_000,
  nonRetryableExitCodes: [],
};

export function retryPolicyOf(step: WorkflowStep): RetryPolicy {
  return step.retryPolicy ?? defaultRetryPolicy;
}

/** Delay before attempt `failedAttempt + 1`: min(initial x coefficient^(failedAttempt-1), max). */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const raw = policy.initialIntervalMs * policy.backoffCoefficient ** (failedAttempt - 1);
  return Math.min(raw, policy.maxIntervalMs);
}

export function stepTitle(step: WorkflowStep): string {
  return step.label?.trim() || step.action?.trim() || `Step ${step.step}`;
}
