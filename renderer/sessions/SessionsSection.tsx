import { useShallow } from 'zustand/react/shallow';
import { usePhoton, useServices } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { openNewSession } from './NewSessionDialog.js';
import { waitingApprovals } from '../store/approvals-slice.js';
import { shownSessionStatus } from './session-words.js';

/** How many sessions the sidebar lists (newest first); the palette finds the others. */
const shownSessions = 8;

/** The sidebar's standalone sessions (a run's sessions are on its page), and "New session…". */
export function SessionsSection() {
  const { store } = useServices();
  const route = usePhoton((s) => s.route);
  const sessions = usePhoton(
    useShallow((s) =>
      Object.values(s.sessions)
        .map((held) => held.info)
        .filter((info) => !info.runId)
        .sort((a, b) => b.startedAt - a.startedAt)
        .slice(0, shownSessions),
    ),
  );
  // The sessions held up by a request of theirs: they wait for the user, whatever the engine's status says.
  const asking = usePhoton(useShallow((s) => waitingApprovals(s.approvals.byId).flatMap((item) => (item.sessionId ? [item.sessionId] : []))));
  return (
    <section className="sidebar-section" aria-labelledby="sessions-heading">
      <div className="section-head">
        <h2 id="sessions-heading">Sessions</h2>
        <button type="button" className="button small" onClick={() => openNewSession(store)}>
          New session…
        </button>
      </div>
      {sessions.length > 0 && (
        <ul className="nav-list">
          {sessions.map((info) => {
            const active = route.view === 'session' && route.id === info.id;
            return (
              <li key={info.id} className={active ? 'nav-item active' : 'nav-item'}>
                <a href={routeHref({ view: 'session', id: info.id })} aria-current={active ? 'page' : undefined}>
                  <span className="nav-title">{info.agentName ?? info.tool}</span>
                  <span className="nav-meta">{shownSessionStatus(info.status, asking.filter((id) => id === info.id).length)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
