import type { Agent, AgentStats } from '../../shared/agents.js';
import { formatDuration, formatUsd } from '../lib/format.js';

/** "83 % (5 of 6)"; a dash before the agent finished anything. */
export function formatSuccessRate(stats: Pick<AgentStats, 'successRate' | 'succeeded' | 'failed'>): string {
  if (stats.successRate === null) return '—';
  return `${Math.round(stats.successRate * 100)} % (${stats.succeeded} of ${stats.succeeded + stats.failed})`;
}

const count = new Intl.NumberFormat('en-US');

/** "1,200 in · 340 out". */
export function formatTokens(tokens: AgentStats['tokens']): string {
  return `${count.format(tokens.input)} in · ${count.format(tokens.output)} out`;
}

export function formatAverageDuration(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

/** An agent's budget and daily cap in a few words for its panel ("$2.00 a run, $10.00 a day, then asks"); null when it has neither. */
export function budgetWords(agent: Pick<Agent, 'budget' | 'dailyCapUsd'>): string | null {
  const parts: string[] = [];
  if (agent.budget?.costUsd !== undefined) parts.push(`${formatUsd(agent.budget.costUsd)} a run`);
  if (agent.budget?.tokens !== undefined) parts.push(`${agent.budget.tokens.toLocaleString('en-US')} tokens a run`);
  if (agent.dailyCapUsd !== undefined) parts.push(`${formatUsd(agent.dailyCapUsd)} a day`);
  if (parts.length === 0) return null;
  return `${parts.join(', ')}, then ${agent.budget?.onExceed === 'fail' ? 'fails' : 'asks'}`;
}
