import type { Agent } from '../../../shared/agents.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { Spend } from '../storage/index.js';

/** What a budget allows, as a workflow or an agent states it. */
export interface BudgetLimits {
  costUsd?: number;
  tokens?: number;
}

/**
 * One budget a step's start is checked against: the run's, its agent's within the run, or its
 * agent's local day. `key` names it in the approvals inbox, so that the user's Approves of it are
 * counted again after a restart: each one lets it spend another budget's worth.
 */
export interface BudgetScope {
  key: string;
  /** "the run's budget", "agent reviewer's budget in this run", "agent reviewer's daily cap". */
  label: string;
  limits: BudgetLimits;
  onExceed: 'ask' | 'fail';
  /** What has been spent against it so far. */
  spend: () => Spend;
  agentName: string | null;
}

export interface SpendSource {
  ofRun(runId: string): Spend;
  ancestors(runId: string): { id: string; definition: string }[];
  ofAgentInRun(agentId: string, runId: string): Spend;
  ofAgentBetween(agentId: string, from: string, to: string): Spend;
}

/** A run above a sub-workflow's run, whose budget covers what the sub-workflow spends too. */
export interface AncestorRun {
  id: string;
  workflow: Pick<Workflow, 'name' | 'budget'>;
}

/** The runs above this one, nearest first, as budgets need them. */
export function ancestorRuns(runId: string, spend: SpendSource): AncestorRun[] {
  return spend.ancestors(runId).map((row) => ({ id: row.id, workflow: JSON.parse(row.definition) as Workflow }));
}

/**
 * The budgets that apply to an AI step of this run run by this agent (or by no saved agent): the
 * run's (which counts its sub-workflows' spend too), those of the runs that started it as a
 * sub-workflow, its agent's in this run, and its agent's day.
 */
export function budgetScopes(runId: string, workflow: Workflow, agent: Agent | null, spend: SpendSource, ancestors: readonly AncestorRun[] = [], now: Date = new Date()): BudgetScope[] {
  const scopes: BudgetScope[] = [];
  const runBudget = workflow.budget;
  if (runBudget && (runBudget.costUsd !== undefined || runBudget.tokens !== undefined)) {
    scopes.push({ key: `run:${runId}`, label: "the run's budget", limits: runBudget, onExceed: runBudget.onExceed ?? 'ask', spend: () => spend.ofRun(runId), agentName: null });
  }
  for (const above of ancestors) {
    const budget = above.workflow.budget;
    if (!budget || (budget.costUsd === undefined && budget.tokens === undefined)) continue;
    scopes.push({
      key: `run:${above.id}`,
      label: `run ${above.id}'s budget (${above.workflow.name}, which started this sub-workflow)`,
      limits: budget,
      onExceed: budget.onExceed ?? 'ask',
      spend: () => spend.ofRun(above.id),
      agentName: null,
    });
  }
  if (!agent) return scopes;
  const onExceed = agent.budget?.onExceed ?? 'ask';
  if (agent.budget && (agent.budget.costUsd !== undefined || agent.budget.tokens !== undefined)) {
    scopes.push({
      key: `agent:${agent.id}:run:${runId}`,
      label: `agent ${agent.id}'s budget in this run`,
      limits: agent.budget,
      onExceed,
      spend: () => spend.ofAgentInRun(agent.id, runId),
      agentName: agent.name,
    });
  }
  if (agent.dailyCapUsd !== undefined) {
    const day = localDay(now);
    scopes.push({
      key: `agent-day:${agent.id}:${day.name}`,
      label: `agent ${agent.id}'s daily cap (${day.name})`,
      limits: { costUsd: agent.dailyCapUsd },
      onExceed,
      spend: () => spend.ofAgentBetween(agent.id, day.from, day.to),
      agentName: agent.name,
    });
  }
  return scopes;
}

/** The limits after `grants` Approves: each lets it spend another budget's worth. */
export function grantedLimits(limits: BudgetLimits, grants: number): BudgetLimits {
  const times = 1 + grants;
  return {
    ...(limits.costUsd !== undefined ? { costUsd: limits.costUsd * times } : {}),
    ...(limits.tokens !== undefined ? { tokens: limits.tokens * times } : {}),
  };
}

/** Whether the spend has reached the limits: a step started now would spend past them. */
export function reached(spent: Spend, limits: BudgetLimits): boolean {
  return (limits.costUsd !== undefined && spent.costUsd >= limits.costUsd) || (limits.tokens !== undefined && spent.tokens >= limits.tokens);
}

/** "$0.0246 of $0.0200 spent" / "2,540 of 2,000 tokens used", for each limit the budget has. */
export function describeSpend(spent: Spend, limits: BudgetLimits): string {
  const parts: string[] = [];
  if (limits.costUsd !== undefined) parts.push(`${usd(spent.costUsd)} of ${usd(limits.costUsd)} spent`);
  if (limits.tokens !== undefined) parts.push(`${spent.tokens.toLocaleString('en-US')} of ${limits.tokens.toLocaleString('en-US')} tokens used`);
  return parts.join(', ');
}

export function usd(value: number): string {
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 4 : 2)}`;
}

/** Today in this machine's time zone, as a name and its bounds in UTC (a day may last 23 or 25 hours). */
export function localDay(now: Date): { name: string; from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const name = `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}-${String(start.getDate()).padStart(2, '0')}`;
  return { name, from: start.toISOString(), to: end.toISOString() };
}
