import { z } from 'zod';
import { approvalAnswers, approvalRuleSchema, ruleScopes, type ApprovalAnswerResult, type ApprovalItem, type ApprovalRule } from '../approvals.js';
import { id, lazyMethods, returns } from './schema.js';

/** The approvals inbox and the rules that answer it. */
export const approvalMethods = lazyMethods({
  /**
   * The approvals inbox: waiting requests first (oldest first), then answered ones (newest first).
   * `waitingOnly` for what needs an answer now (the badge's count); `runId` for one run's record.
   */
  'approvals.list': {
    params: () => z.object({ waitingOnly: z.boolean().optional(), runId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict().optional(),
    result: returns<ApprovalItem[]>(),
  },
  /**
   * Answers one request or a batch with the same answer: `once`, `run` (same kind of call for the
   * rest of the run), `always` (adds a rule for the agent), `deny` (`message` goes to the agent).
   * Each id gets its own result: one already answered, expired or whose session ended is refused
   * with the reason, and the others still apply.
   */
  'approvals.answer': {
    params: () => z.object({ ids: z.array(id).min(1, 'name at least one request (ids from approvals.list)').max(200, 'answer at most 200 requests at once'), answer: z.enum(approvalAnswers), message: z.string().min(1).max(4000).optional() }).strict(),
    result: returns<ApprovalAnswerResult[]>(),
  },
  /** An agent's (`target`: its name) or a workflow's (`target`: its id) ordered rules. */
  'approvals.rules': { params: () => z.object({ scope: z.enum(ruleScopes), target: id }).strict(), result: returns<ApprovalRule[]>() },
  /** Replaces that scope's rules, in order: the first that matches a request decides (allow, deny or ask). */
  'approvals.setRules': {
    params: () => z.object({ scope: z.enum(ruleScopes), target: id, rules: z.array(approvalRuleSchema).max(100) }).strict(),
    result: returns<ApprovalRule[]>(),
  },
});
