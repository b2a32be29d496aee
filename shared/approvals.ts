import type { ErrorCode } from './errors.js';
import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';
import type { SessionDiff, ToolCallKind } from './sessions.js';

/**
 * The approvals inbox: every permission request of every agent session, and every pty step waiting
 * for the user to type, in one queue whatever the vendor. Rules answer what the user allowed ahead
 * of time; every request and its answer is kept with who gave it.
 */

/**
 * `permission`: an ACP agent asks before a tool call. `input`: a pty step waits for typing.
 * `gate`: a workflow's `"platform": "approval"` step waits for a person's Approve (`once`) or
 * Reject (`deny`); no rule or allowance answers it. `budget`: a run (or an agent) reached its budget
 * and its next AI steps wait: Approve (`once`) lets them go on, Reject (`deny`) fails them.
 */
export type ApprovalKind = 'permission' | 'input' | 'gate' | 'budget';

/**
 * `waiting` until answered; `allowed` / `denied` by a person or a rule; `cancelled` when its turn
 * was cancelled or its session or step ended first; `expired` when the step's timeout passed first.
 */
export type ApprovalStatus = 'waiting' | 'allowed' | 'denied' | 'cancelled' | 'expired';

/**
 * How a person answers: `once` allows this call; `run` also allows the same kind of call for the
 * rest of the run (or standalone session); `always` allows it and adds a rule for the agent;
 * `deny` refuses, with an optional message the agent receives as the user's next message.
 */
export const approvalAnswers = ['once', 'run', 'always', 'deny'] as const;
export type ApprovalAnswer = (typeof approvalAnswers)[number];

/** Who answered: `person`, `rule:<ruleId>`, `run:<approvalId>` (an allow-for-this-run), `timeout`, or `ended`. */
export type ApprovalAnsweredBy = string;

export interface ApprovalItem {
  id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  /** The session (for `permission`) or terminal (for `input`) it came from. */
  sessionId: string | null;
  runId: string | null;
  step: number | null;
  /** The saved agent's name, when the step or session has one. */
  agentName: string | null;
  /** The tool's registry key, e.g. `claude-code`. */
  tool: string;
  /** What the agent wants to do, as it said it: "Edit src/app.ts", "Run npm test". */
  title: string;
  toolKind: ToolCallKind | null;
  /** The command line of an `execute` call. */
  command: string | null;
  /** Files an edit would change, with their old and new text. */
  diffs: readonly SessionDiff[];
  /** Folder the agent works in. */
  cwd: string | null;
  createdAt: string;
  answer: ApprovalAnswer | null;
  answeredBy: ApprovalAnsweredBy | null;
  answeredAt: string | null;
  /** The deny message, or why it was cancelled or expired. */
  message: string | null;
}

/** A rule's verdict: `ask` puts the request in the inbox even when a later rule would allow it. */
export const ruleActions = ['allow', 'deny', 'ask'] as const;
export type RuleAction = (typeof ruleActions)[number];

export const toolCallKinds = ['read', 'edit', 'delete', 'move', 'search', 'execute', 'think', 'fetch', 'switch_mode', 'other'] as const;

/**
 * What a rule matches; every field given must hold. `network`: a command that reaches the network
 * (curl, wget, ssh, git push...) or a `fetch` call. `insideFolder`: every file the call touches is
 * inside the step's folder (its worktree when isolated).
 */
export const ruleMatchSchema = lazySchema(() =>
  z
    .object({
      kinds: z.array(z.enum(toolCallKinds)).min(1).max(10).optional(),
      /** The command starts with this text (e.g. `npm test`). */
      commandPrefix: z.string().min(1).max(1000).optional(),
      network: z.boolean().optional(),
      insideFolder: z.boolean().optional(),
    })
    .strict(),
);
export type RuleMatch = z.infer<typeof ruleMatchSchema>;

/** Rules belong to an agent (by saved agent name) or to a workflow (by id); a workflow's come first. */
export const ruleScopes = ['agent', 'workflow'] as const;
export type RuleScope = (typeof ruleScopes)[number];

export const approvalRuleSchema = lazySchema(() =>
  z
    .object({
      match: ruleMatchSchema,
      action: z.enum(ruleActions),
    })
    .strict(),
);

export interface ApprovalRule {
  id: string;
  scope: RuleScope;
  /** The agent's name or the workflow's id. */
  target: string;
  /** Order within its scope and target: the first rule that matches decides. */
  position: number;
  match: RuleMatch;
  action: RuleAction;
  /** `person`, or `approval:<id>` for a rule made by an allow-always answer. */
  createdBy: string;
  createdAt: string;
}

/** The example set from issue 16: allow reads, allow edits inside the step's folder, ask for shell, deny network. */
export const suggestedRules: z.infer<typeof approvalRuleSchema>[] = [
  { match: { network: true }, action: 'deny' },
  { match: { kinds: ['read', 'search', 'think'] }, action: 'allow' },
  { match: { kinds: ['edit', 'delete', 'move'], insideFolder: true }, action: 'allow' },
  { match: { kinds: ['execute'] }, action: 'ask' },
];

/** The result of answering one request of a batch: refused ones say why, the others still apply. */
export type ApprovalAnswerResult = { id: string; ok: true; item: ApprovalItem } | { id: string; ok: false; reason: string; code: ErrorCode };
