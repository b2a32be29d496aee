import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ViewError } from '../components/ViewError.js';
import { ViewTitle } from '../components/ViewTitle.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { reportError } from '../sync/report-error.js';
import { SessionPanel } from './SessionPanel.js';
import { shownSessionStatus } from './session-words.js';
import { useShownSession } from './use-shown-session.js';

/** The calls a session panel makes; a refusal rejects with the engine's words for the panel to show. */
export function useSessionCalls(id: string) {
  const { client, store } = useServices();
  const send = useCallback(async (text: string) => void store.getState().sessionUpdated(await client.call('sessions.send', { id, text })), [client, store, id]);
  const stop = useCallback(async () => void store.getState().sessionUpdated(await client.call('sessions.cancel', { id })), [client, store, id]);
  const close = useCallback(async () => {
    try {
      store.getState().sessionUpdated(await client.call('sessions.close', { id }));
    } catch (error) {
      reportError(store, 'Could not end the session', error);
    }
  }, [client, store, id]);
  return { send, stop, close };
}

/** The requests a session asked, waiting and answered: shown under its conversation. */
export function useSessionRequests(id: string | null) {
  return usePhoton(useShallow((s) => (id ? Object.values(s.approvals.byId).filter((item) => item.sessionId === id) : [])));
}

/** `#/sessions/ID`: a standalone session with an agent, as a conversation. */
export function SessionView({ id }: { id: string }) {
  const session = useShownSession(id);
  const error = usePhoton((s) => s.viewErrors[`session:${id}`]);
  const requests = useSessionRequests(id);
  const { send, stop, close } = useSessionCalls(id);
  const who = session ? (session.info.agentName ?? session.info.tool) : 'Session';
  useDocumentTitle(`Session with ${who}`);

  if (error) return <ViewError what="The session" error={error} />;
  if (!session) return <p className="meta view">Reading the session…</p>;
  const ended = session.info.status === 'ended' || session.info.status === 'failed';
  return (
    <article className="view session-view">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>Session with {who}</ViewTitle>
          <p className="lead">{shownSessionStatus(session.info.status, requests.filter((item) => item.status === 'waiting').length)}</p>
        </div>
        {!ended && (
          <button type="button" className="button" onClick={() => void close()}>
            End session
          </button>
        )}
      </header>
      <SessionPanel session={session} requests={requests} onSend={send} onStop={stop} />
    </article>
  );
}
