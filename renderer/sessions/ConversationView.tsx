import { memo, useLayoutEffect, useRef } from 'react';
import type { SessionEntry, SessionPlanEntry } from '../../shared/sessions.js';
import { Markdown } from './Markdown.js';
import { stopReasonWords } from './session-words.js';
import { ToolCallCard } from './ToolCallCard.js';

const planMarks: Record<SessionPlanEntry['status'], string> = { pending: '○', in_progress: '◐', completed: '●' };
const planWords: Record<SessionPlanEntry['status'], string> = { pending: 'to do', in_progress: 'in progress', completed: 'done' };

function PlanView({ entries }: { entries: SessionPlanEntry[] }) {
  return (
    <section className="session-plan" aria-label="The agent's plan">
      <h4>Plan</h4>
      <ol>
        {entries.map((entry, index) => (
          <li key={index} data-status={entry.status}>
            <span aria-hidden="true">{planMarks[entry.status]} </span>
            {entry.content}
            <span className="visually-hidden"> ({planWords[entry.status]})</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

const Entry = memo(function Entry({ entry, cwd }: { entry: SessionEntry; cwd: string | null }) {
  switch (entry.type) {
    case 'message':
      if (entry.role === 'thought') {
        return (
          <details className="session-thought">
            <summary>Thinking</summary>
            <Markdown text={entry.text} />
          </details>
        );
      }
      return (
        <article className={`session-message session-message-${entry.role}`} aria-label={entry.role === 'user' ? 'You' : 'Agent'}>
          <span className="session-message-who">{entry.role === 'user' ? 'You' : 'Agent'}</span>
          <Markdown text={entry.text} />
        </article>
      );
    case 'tool_call':
      return <ToolCallCard call={entry.call} cwd={cwd} />;
    case 'plan':
      return <PlanView entries={entry.entries} />;
    case 'turn_end':
      return <p className="session-turn-end">{stopReasonWords(entry.stopReason)}</p>;
    case 'notice':
      return <p className="session-notice">{entry.text}</p>;
  }
});

/** How close to the end (px) the reader must be for the conversation to follow new text. */
const followSlack = 48;

/**
 * The conversation in order; each entry re-renders only when it changed. It follows the agent as
 * it writes while the reader is at the end, and stays put once they scrolled up to read.
 */
export function ConversationView({ entries, cwd }: { entries: readonly SessionEntry[]; cwd: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const element = box.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [entries]);
  if (entries.length === 0) return <p className="meta">Nothing said yet.</p>;
  return (
    <div
      ref={box}
      className="session-conversation"
      role="log"
      aria-label="Conversation"
      onScroll={(e) => {
        const element = e.currentTarget;
        atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight <= followSlack;
      }}
    >
      {entries.map((entry, index) => (
        <Entry key={index} entry={entry} cwd={cwd} />
      ))}
    </div>
  );
}
