import type { AgentStats } from '../../shared/agents.js';
import { formatDuration } from '../lib/format.js';

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
