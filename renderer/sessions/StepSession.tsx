import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { answerRecord, wantsText } from '../approvals/approval-words.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { loadRunApprovals } from '../sync/approvals-sync.js';
import { loadRunSessions } from '../sync/sessions-sync.js';
import { SessionPanel } from './SessionPanel.js';
import { useSessionCalls } from './SessionView.js';
import { stepRequests, stepSessionId } from './step-index.js';
import { useShownSession } from './use-shown-session.js';

/**
 * What a run's step asked and was answered (permission requests of its session, waits for typed
 * input), with who answered each; and, when the step ran as an ACP session, its conversation.
 */
export function StepSession({ runId, step }: { runId: string; step: number }) {
  const { client, store } = useServices();
  const requests = usePhoton((s) => stepRequests(s.approvals.byId, runId, step));
  const sessionId = usePhoton((s) => stepSessionId(s.sessions, runId, step));

  // The run's whole record (the inbox's own list holds only the latest answers) and its steps'
  // sessions (the engine lists only standalone ones unasked), each once per run.
  useEffect(() => {
    loadRunApprovals(client, store, runId);
    loadRunSessions(client, store, runId);
  }, [client, store, runId]);

  return (
    <>
      {requests.length > 0 && (
        <section className="session-requests" aria-label={`Requests of step ${step}`}>
          <h4>Requests</h4>
          <ul>
            {requests.map((item) => (
              <li key={item.id} data-status={item.status}>
                {item.title || wantsText(item)} — {answerRecord(item)}
                {item.status === 'waiting' && item.kind === 'permission' && (
                  <>
                    {' '}
                    · <a href={routeHref({ view: 'approvals' })}>answer it</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {sessionId && <StepConversation id={sessionId} />}
    </>
  );
}

function StepConversation({ id }: { id: string }) {
  const session = useShownSession(id);
  const calls = useSessionCalls(id);
  const requests = usePhoton(useShallow((s) => Object.values(s.approvals.byId).filter((item) => item.sessionId === id)));
  if (!session) return <p className="meta">Reading the step's conversation…</p>;
  return (
    <details className="step-session" open={session.info.status !== 'ended'}>
      <summary>Conversation</summary>
      <SessionPanel session={session} requests={requests} onSend={calls.send} onStop={calls.stop} />
    </details>
  );
}
