import { useState } from 'react';
import type { SavedAgent } from '../../shared/agents.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { usePhoton } from '../lib/app-context.js';
import { AgentFormDialog } from './AgentFormDialog.js';
import { AgentPanel } from './AgentPanel.js';
import { useAgentActions } from './use-agent-actions.js';

/** The saved agents as panels, with the form to create or edit one. */
export function AgentsSection() {
  const actions = useAgentActions();
  const { list, loaded, stats } = usePhoton((s) => s.agents);
  // undefined: no form; null: a new agent; an agent: editing it.
  const [editing, setEditing] = useState<SavedAgent | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<SavedAgent | null>(null);

  return (
    <section className="agents-section" aria-labelledby="agents-heading">
      <header className="section-bar">
        <h2 id="agents-heading">Agents</h2>
        <button type="button" className="button primary small" onClick={() => setEditing(null)}>
          <span aria-hidden="true">+ </span>New agent
        </button>
      </header>
      {!loaded ? (
        <p className="loading">Loading agents…</p>
      ) : list.length === 0 ? (
        <p className="empty-state">
          No agents yet. An agent is a saved setup of one tool (model, folder, autonomy, keys) that workflow steps name with <code>"agent": "id"</code>, or pick by
          capability with <code>"agent": "auto"</code>.
        </p>
      ) : (
        <div className="agent-panels">
          {list.map((agent) => (
            <AgentPanel
              key={agent.id}
              agent={agent}
              stats={stats[agent.id]}
              onEdit={() => setEditing(agent)}
              onDelete={() => setDeleting(agent)}
              onOpenTerminal={() => void actions.openInTerminal({ agentId: agent.id })}
            />
          ))}
        </div>
      )}
      {editing !== undefined && <AgentFormDialog key={editing?.id ?? 'new'} agent={editing} onClose={() => setEditing(undefined)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete agent “${deleting.name}”?`}
          message={`Steps that name "${deleting.id}" will run their platform's tool with its default settings. Its past runs stay in the history.`}
          confirmLabel="Delete agent"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            setDeleting(null);
            void actions.remove(deleting.id);
          }}
        />
      )}
    </section>
  );
}
