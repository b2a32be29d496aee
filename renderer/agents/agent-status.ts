import type { AgentStatus } from '../../shared/agents.js';

/** Every agent status has a word and a symbol, so none is told by colour alone. */
const agentStatusInfo: Record<AgentStatus, { label: string; icon: string }> = {
  idle: { label: 'Idle', icon: '○' },
  busy: { label: 'Busy', icon: '◔' },
  error: { label: 'Error', icon: '✕' },
  unavailable: { label: 'Unavailable', icon: '⊘' },
  inactive: { label: 'Inactive (no heartbeat)', icon: '◌' },
};

export function agentStatusLabel(status: AgentStatus): string {
  return agentStatusInfo[status]?.label ?? status;
}

export function agentStatusIcon(status: AgentStatus): string {
  return agentStatusInfo[status]?.icon ?? '•';
}
