import { useId } from 'react';
import type { AgentStats, SavedAgent } from '../../shared/agents.js';
import { platformInfo } from '../../shared/platforms.js';
import { TrashIcon } from '../components/TrashIcon.js';
import { NewSessionButton } from '../sessions/NewSessionButton.js';
import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { agentBusyKey } from './agent-actions.js';
import { formatUsd } from '../lib/format.js';
import { budgetWords, formatAverageDuration, formatSuccessRate, formatTokens } from './agent-format.js';
import { AgentStatusBadge } from './AgentStatusBadge.js';

interface AgentPanelProps {
  agent: SavedAgent;
  stats: AgentStats | undefined;
  onOpenTerminal(): void;
  onEdit(): void;
  onDelete(): void;
}

/** The step an agent runs, linked to its run, named by the run's workflow when the sidebar knows it. */
function RunningStep({ runId, step }: { runId: string; step: number }) {
  const workflowName = usePhoton((s) => s.runs.list.find((r) => r.runId === runId)?.workflowName ?? null);
  return (
    <a href={routeHref({ view: 'run', id: runId })}>
      Step {step} of {workflowName ? `“${workflowName}”` : `run ${runId}`}
    </a>
  );
}

/** One agent: what it is, what it does now, its record so far, and what the user can do with it. */
export function AgentPanel({ agent, stats, onOpenTerminal, onEdit, onDelete }: AgentPanelProps) {
  const titleId = useId();
  const busy = usePhoton((s) => Boolean(s.busy[agentBusyKey(agent.id)]));
  const toolLabel = platformInfo(agent.tool)?.label ?? agent.tool;
  const unavailable = stats?.status === 'unavailable';

  return (
    <section className={`agent-panel agent-panel-${stats?.status ?? 'unknown'}`} aria-labelledby={titleId} data-agent-id={agent.id}>
      <header className="agent-panel-head">
        <h3 id={titleId}>{agent.name}</h3>
        {stats ? <AgentStatusBadge status={stats.status} /> : <span className="meta">status not known yet</span>}
      </header>
      <p className="agent-panel-meta meta">
        <code>{agent.id}</code> · {toolLabel}
        {agent.model ? (
          <>
            {' '}
            · model <code>{agent.model}</code>
          </>
        ) : null}{' '}
        · {agent.autonomy === 'default' ? 'asks as the tool does' : agent.autonomy === 'auto-edit' ? 'edits without asking' : 'full autonomy'}
      </p>
      {stats?.reason && (
        <p className={stats.status === 'idle' || stats.status === 'busy' ? 'agent-reason meta' : 'agent-reason error-text'}>
          <span aria-hidden="true">⚠ </span>
          {stats.reason}
        </p>
      )}
      {stats && stats.running.length > 0 && (
        <div className="agent-running">
          <span className="meta">Running: </span>
          <ul className="plain-list inline-list">
            {stats.running.map((r) => (
              <li key={`${r.runId}:${r.step}`}>
                <RunningStep runId={r.runId} step={r.step} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl className="agent-facts">
        <div>
          <dt>Steps done</dt>
          <dd>{stats ? stats.stepsDone : '—'}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{stats ? formatSuccessRate(stats) : '—'}</dd>
        </div>
        <div>
          <dt>Average duration</dt>
          <dd>{stats ? formatAverageDuration(stats.averageDurationMs) : '—'}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{stats ? formatUsd(stats.costUsd) : '—'}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>{stats ? formatTokens(stats.tokens) : '—'}</dd>
        </div>
      </dl>
      <p className="agent-panel-meta meta">
        {agent.capabilities.length > 0 ? (
          <span className="tag-list">
            <span className="visually-hidden">Capabilities: </span>
            {agent.capabilities.map((c) => (
              <span key={c} className="tag">
                {c}
              </span>
            ))}
          </span>
        ) : (
          'no capabilities listed'
        )}{' '}
        · {agent.maxConcurrentSteps === 1 ? 'one step at a time' : `up to ${agent.maxConcurrentSteps} steps at once`}
        {budgetWords(agent) ? ` · budget ${budgetWords(agent)}` : null}
        {agent.cwd ? (
          <>
            {' '}
            · in <code>{agent.cwd}</code>
          </>
        ) : null}
      </p>
      <div className="agent-panel-actions">
        <button type="button" className="button small" disabled={busy || unavailable} title={unavailable ? (stats?.reason ?? undefined) : undefined} onClick={onOpenTerminal}>
          <span aria-hidden="true">›_ </span>Open in terminal
        </button>
        <NewSessionButton agent={agent} disabled={busy} />
        <button type="button" className="button small" disabled={busy} onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="icon-button" aria-label={`Delete agent ${agent.name}`} title="Delete" disabled={busy} onClick={onDelete}>
          <TrashIcon />
        </button>
      </div>
    </section>
  );
}
