import type { AgentStatus } from '../../shared/agents.js';
import { agentStatusIcon, agentStatusLabel } from './agent-status.js';

/** An agent's status as a symbol and a word; the colour only repeats them. */
export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <span className={`badge agent-status agent-status-${status}`} data-status={status}>
      <span className="badge-icon" aria-hidden="true">
        {agentStatusIcon(status)}
      </span>
      <span className="badge-label">{agentStatusLabel(status)}</span>
    </span>
  );
}
