import { useId, useState } from 'react';
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

  if (denying) {
    return (
      <form
        className="approval-deny"
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
          <button type="button" className="button small" onClick={() => setDenying(false)}>
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
      <button type="button" className="button small" disabled={busy} onClick={() => setDenying(true)}>
        {gate ? 'Reject…' : 'Deny…'}
      </button>
    </div>
  );
}
