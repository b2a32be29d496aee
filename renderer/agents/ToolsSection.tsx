import { PathText } from '../components/PathText.js';
import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { detectBusyKey } from './agent-actions.js';
import { supportsText, toolState } from './tool-status.js';
import { useAgentActions } from './use-agent-actions.js';

/** The "Detect tools" view: what the engine found on the login shell's PATH, and a way to look again. */
export function ToolsSection() {
  const actions = useAgentActions();
  const tools = usePhoton((s) => s.agents.tools);
  const loaded = usePhoton((s) => s.agents.toolsLoaded);
  const detecting = usePhoton((s) => Boolean(s.busy[detectBusyKey]));
  const checkedAt = tools.reduce<string | null>((latest, t) => (latest === null || t.checkedAt > latest ? t.checkedAt : latest), null);

  return (
    <section className="tools-section" aria-labelledby="tools-heading">
      <header className="section-bar">
        <div>
          <h2 id="tools-heading">Detect tools</h2>
          <p className="meta section-note">
            Looked up on your login shell&apos;s PATH{checkedAt ? `, last at ${formatWhen(checkedAt)}` : ''}. Install or update a tool, then detect again.
          </p>
        </div>
        <button type="button" className="button small" disabled={detecting} onClick={() => void actions.detectTools()}>
          {detecting ? (
            <>
              <span className="spin" aria-hidden="true">
                ◔
              </span>{' '}
              Detecting…
            </>
          ) : (
            'Detect again'
          )}
        </button>
      </header>
      {!loaded ? (
        <p className="loading">{detecting ? 'Detecting tools…' : 'Looking for tools…'}</p>
      ) : (
        <div className="table-scroll">
          <table className="steps-table tools-table" aria-busy={detecting}>
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Minimum</th>
                <th scope="col">Path</th>
                <th scope="col">Supports</th>
              </tr>
            </thead>
            <tbody>
              {tools.map((tool) => {
                const state = toolState(tool);
                return (
                  <tr key={tool.platform} data-platform={tool.platform}>
                    <th scope="row">
                      {tool.label}
                      <div className="meta">
                        <code>{tool.platform}</code>
                        {tool.binary && tool.binary !== tool.platform ? (
                          <>
                            {' '}
                            · runs <code>{tool.binary}</code>
                          </>
                        ) : null}
                      </div>
                    </th>
                    <td>
                      <span className={`badge tool-state tool-state-${state.state}`}>
                        <span className="badge-icon" aria-hidden="true">
                          {state.icon}
                        </span>
                        <span className="badge-label">{state.label}</span>
                      </span>
                      {tool.error && <p className={state.state === 'missing' ? 'tool-note' : 'tool-error'}>{tool.error}</p>}
                      {tool.notes?.map((note) => (
                        <p key={note} className="tool-note">
                          {note}
                        </p>
                      ))}
                    </td>
                    <td>{tool.version ?? '—'}</td>
                    <td>{tool.minimumVersion ?? '—'}</td>
                    <td className="tool-path">{tool.path ? <PathText path={tool.path} /> : '—'}</td>
                    <td>
                      {tool.platform === 'shell' ? (
                        'commands'
                      ) : (
                        <>
                          {supportsText(tool)}
                          {tool.supports.autonomyModes.length > 0 && <div className="meta">autonomy: {tool.supports.autonomyModes.join(', ')}</div>}
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
