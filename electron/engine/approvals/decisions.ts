import { randomUUID } from 'node:crypto';
import type { ApprovalItem, ApprovalRule } from '../../../shared/approvals.js';
import type { ApprovalsRepository } from '../storage/index.js';
import type { PermissionAnswer, PermissionOptionInfo } from '../sessions/index.js';
import { firstMatch, programOf, type RuleSubject } from './rules.js';

/** Who is asking: the parts of a session's context the rules and allowances key on. */
export interface DecisionContext {
  runId?: string;
  workflowId?: string;
  agentName?: string;
  tool: string;
}

/** An allow-for-this-run: later calls of the same kind (and, for commands, the same program). */
interface Allowance {
  approvalId: string;
  toolKind: string | null;
  program: string | null;
}

/** The allow-for-this-run answers, by run (or by session when there is no run); they last as long as it. */
export class RunAllowances {
  private readonly byKey = new Map<string, Allowance[]>();

  find(key: string, subject: RuleSubject): Allowance | undefined {
    const program = programOf(subject.command);
    return this.byKey.get(key)?.find((a) => a.toolKind === subject.toolKind && a.program === program);
  }

  add(key: string, item: ApprovalItem): void {
    const list = this.byKey.get(key) ?? [];
    list.push({ approvalId: item.id, toolKind: item.toolKind, program: programOf(item.command) });
    this.byKey.set(key, list);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}

/**
 * What answers a request before a person sees it: the run's allowances first, then the workflow's
 * rules, then the agent's. Undefined when none decides (or the first match says ask).
 */
export function decide(
  allowances: RunAllowances,
  repository: ApprovalsRepository,
  context: DecisionContext,
  sessionId: string,
  subject: RuleSubject,
): { action: 'allow' | 'deny'; by: string } | undefined {
  const allowance = allowances.find(context.runId ?? sessionId, subject);
  if (allowance) return { action: 'allow', by: `run:${allowance.approvalId}` };
  const rules = [
    ...(context.workflowId ? repository.rules('workflow', context.workflowId) : []),
    ...repository.rules('agent', agentTarget(context)),
  ];
  const rule = firstMatch(rules, subject);
  if (!rule || rule.action === 'ask') return undefined;
  return { action: rule.action, by: `rule:${rule.id}` };
}

/** The agent rule an "always" answer leaves: the same kind of call and, for commands, the same program. */
export function alwaysRule(item: ApprovalItem, context: DecisionContext, createdAt: string): Omit<ApprovalRule, 'position'> {
  const program = programOf(item.command);
  return {
    id: randomUUID(),
    scope: 'agent',
    target: agentTarget(context),
    match: { ...(item.toolKind ? { kinds: [item.toolKind] } : {}), ...(program ? { commandPrefix: program } : {}) },
    action: 'allow',
    createdBy: `approval:${item.id}`,
    createdAt,
  };
}

/** Rules belong to the saved agent; a step without one shares its tool's. */
function agentTarget(context: DecisionContext): string {
  return context.agentName ?? `tool:${context.tool}`;
}

/**
 * The option for a verdict. Allow-once even for "always": Photon keeps the rule itself, and an
 * agent's own always-allow fails in places (gemini's `proceed_always` in an untrusted folder).
 */
export function choose(options: PermissionOptionInfo[], verdict: 'allow' | 'deny'): PermissionAnswer {
  const order = verdict === 'allow' ? ['allow_once', 'allow_always'] : ['reject_once', 'reject_always'];
  for (const kind of order) {
    const option = options.find((o) => o.kind === kind);
    if (option) return { optionId: option.id };
  }
  return { cancelled: true };
}
