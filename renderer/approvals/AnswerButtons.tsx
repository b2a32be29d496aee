import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApprovalAnswer, ApprovalItem } from '../../shared/approvals.js';
import { answerLabel } from './approval-words.js';

interface AnswerButtonsProps {
  /** "this request" or "3 commands": what the buttons answer, for screen readers and the deny box. */
  what: string;
  busy: boolean;
  /** The requests answered, for the words of "allow for this run" (a standalone session has no run). */
  requests: readonly Pick<ApprovalItem, 'runId'>[];
  onAnswer(answer: ApprovalAnswer, message?: string): void;
  /** A workflow's approval gate: Approve or Reject, nothing for the run or always. */
  gate?: boolean;
}

/** Allow once, for this run, always for this agent, or deny with a message the agent receives. */
export function AnswerButtons({ what, busy, requests, onAnswer, gate = false }: AnswerButtonsProps) {
  const [denying, setDenying] = useState(false);
  const [message, setMessage] = useState('');
  const messageId = useId();
  // Leaving the message box puts the keyboard back on the button that opened it, not on the page's body.
  const returnFocus = useRef(false);
  const back = () => {
    returnFocus.current = true;
    setDenying(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    back();
  };

  if (denying) {
    return (
      <form
        className="approval-deny"
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          onAnswer('deny', message.trim() || undefined);
        }}
      >
        <label htmlFor={messageId}>{gate ? 'Why (optional, kept with the run)' : 'Message to the agent (optional)'}</label>
        <textarea id={messageId} rows={2} value={message} placeholder="What to do instead…" onChange={(e) => setMessage(e.target.value)} autoFocus />
        <div className="approval-buttons">
          <button type="submit" className="button danger small" disabled={busy} aria-label={`${gate ? 'Reject' : 'Deny'} ${what}`}>
            {gate ? 'Reject' : 'Deny'}
          </button>
          <button type="button" className="button small" onClick={back}>
            Back
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="approval-buttons" role="group" aria-label={`Answer ${what}`}>
      {((gate ? ['once'] : ['once', 'run', 'always']) as ('once' | 'run' | 'always')[]).map((choice) => (
        <button key={choice} type="button" className={choice === 'once' ? 'button primary small' : 'button small'} disabled={busy} onClick={() => onAnswer(choice)}>
          {gate ? 'Approve' : answerLabel(choice, requests)}
        </button>
      ))}
      <button
        type="button"
        className="button small"
        disabled={busy}
        onClick={() => setDenying(true)}
        ref={(button) => {
          if (!button || !returnFocus.current) return;
          returnFocus.current = false;
          button.focus();
        }}
      >
        {gate ? 'Reject…' : 'Deny…'}
      </button>
    </div>
  );
}
