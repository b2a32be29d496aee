import type { SavedAgent } from '../../shared/agents.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { openNewSession } from './NewSessionDialog.js';

/** An agent's "New session", beside "Open in terminal", when its tool has an ACP mode. */
export function NewSessionButton({ agent, disabled }: { agent: Pick<SavedAgent, 'id' | 'name' | 'tool' | 'cwd'>; disabled?: boolean }) {
  const { store } = useServices();
  const acp = usePhoton((s) => s.agents.tools.find((tool) => tool.platform === agent.tool)?.acp);
  if (!acp) return null;
  return (
    <button
      type="button"
      className="button small"
      disabled={disabled || !acp.available}
      title={acp.available ? 'A structured session over ACP: conversation, plan, tool calls, approvals' : (acp.error ?? acp.install)}
      onClick={() => openNewSession(store, agent)}
    >
      New session
    </button>
  );
}
