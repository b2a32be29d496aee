import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ApprovalItem } from '../../shared/approvals.js';
import { answerRecord, wantsText } from '../approvals/approval-words.js';
import { routeHref } from '../lib/route.js';
import { keyLabel } from '../palette/shortcuts.js';
import type { ShownSession } from '../store/sessions-slice.js';
import { ConversationView } from './ConversationView.js';
import { acceptsMessages, sendLabel, sessionTitle, shownSessionStatus, turnRunning, usageText } from './session-words.js';
import './sessions.css';

interface SessionPanelProps {
  session: ShownSession;
  /** The session's permission requests, waiting and answered: the record of who allowed what. */
  requests: readonly ApprovalItem[];
  /** Sends a message: at once when idle, queued by the engine while a turn runs. Rejects with the reason. */
  onSend(text: string): Promise<void>;
  onStop(): Promise<void>;
}

/** A session as a conversation: the agent's messages, plan, tool calls and edits, and a box to write to it. */
export function SessionPanel({ session, requests, onSend, onStop }: SessionPanelProps) {
  const { info, entries } = session;
  const usage = usageText(info.usage);
  return (
    <section className="session-panel" aria-label={`Session with ${info.agentName ?? info.tool}`} data-status={info.status}>
      <header className="session-head">
        <h3>{sessionTitle(info)}</h3>
        <span className="session-status" data-status={info.status}>
          {shownSessionStatus(info.status, requests.filter((item) => item.status === 'waiting').length)}
        </span>
        {usage && <span className="meta">{usage}</span>}
        <span className="meta session-cwd" title={info.cwd}>
          {info.cwd}
        </span>
      </header>
      {info.error && (
        <p className="session-error" role="alert">
          {info.error}
        </p>
      )}
      <ConversationView entries={entries} cwd={info.cwd} />
      {requests.length > 0 && <RequestRecord requests={requests} />}
      <SessionInput session={session} onSend={onSend} onStop={onStop} />
    </section>
  );
}

function RequestRecord({ requests }: { requests: readonly ApprovalItem[] }) {
  return (
    <section className="session-requests" aria-label="Permission requests">
      <h4>Permission requests</h4>
      <ul>
        {requests.map((item) => (
          <li key={item.id} data-status={item.status}>
            <span className="session-request-what">{item.title || wantsText(item)}</span> — <span>{answerRecord(item)}</span>
            {/* Answered on the Approvals page only: without a way there, a user on this page is stuck. */}
            {item.status === 'waiting' && (
              <>
                {' '}
                · <a href={routeHref({ view: 'approvals' })}>Answer in Approvals</a>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SessionInput({ session, onSend, onStop }: Pick<SessionPanelProps, 'session' | 'onSend' | 'onStop'>) {
  const { info } = session;
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = turnRunning(info.status);
  const open = acceptsMessages(info.status);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || sending) return;
    setSending(true);
    setError(null);
    try {
      await onSend(message);
      setText('');
    } catch (failure) {
      // The text stays in the box, so nothing typed is lost to a refusal.
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSending(false);
    }
  };
  const keys = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void send();
  };
  const stop = async () => {
    setError(null);
    try {
      await onStop();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <form className="session-input" onSubmit={(e) => void send(e)}>
      {info.queued.length > 0 && (
        <div className="session-queued" aria-label="Queued messages">
          <span className="meta">Sent when this turn ends:</span>
          <ol>
            {info.queued.map((queued, index) => (
              <li key={index}>{queued}</li>
            ))}
          </ol>
        </div>
      )}
      <label className="visually-hidden" htmlFor={`session-input-${info.id}`}>
        Message to the agent
      </label>
      <textarea
        id={`session-input-${info.id}`}
        value={text}
        rows={2}
        disabled={!open}
        // Enter makes a new line here, so the key that sends is said where the user types.
        placeholder={open ? (running ? `A follow-up, sent when this turn ends… (${keyLabel('Mod+Enter')} queues it)` : `Message the agent… (${keyLabel('Mod+Enter')} sends)`) : 'This session has ended.'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={keys}
      />
      <div className="session-input-actions">
        <button type="submit" className="button primary small" disabled={!open || sending || !text.trim()}>
          {sendLabel(info.status)}
        </button>
        {running && (
          <button type="button" className="button small" disabled={info.status === 'cancelling'} onClick={() => void stop()}>
            Stop turn
          </button>
        )}
      </div>
      {error && (
        <p className="session-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
