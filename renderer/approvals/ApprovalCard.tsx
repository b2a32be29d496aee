import { lazy, memo } from 'react';
import type { ApprovalAnswer, ApprovalItem } from '../../shared/approvals.js';
import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { LazyPart } from '../components/LazyPart.js';
import { routeHref } from '../lib/route.js';
import { askerName, requestSentence, wantsText, whereFrom } from './approval-words.js';
import { AnswerButtons } from './AnswerButtons.js';

const SessionEditDiff = lazy(() => import('../sessions/SessionEditDiff.js'));

interface ApprovalCardProps {
  item: ApprovalItem;
  selected: boolean;
  busy: boolean;
  refusal: string | undefined;
  onToggle(id: string): void;
  onAnswer(ids: string[], answer: ApprovalAnswer, message?: string): void;
}

/** One waiting request: who asks, from where, the command or diff in question, and its answers. */
export const ApprovalCard = memo(function ApprovalCard({ item, selected, busy, refusal, onToggle, onAnswer }: ApprovalCardProps) {
  const who = askerName(item);
  const wants = wantsText(item);
  const sentence = requestSentence(item);
  // The workflow's name says more than a run id; a run not among the listed ones keeps the id alone.
  const workflowName = usePhoton((s) => (item.runId === null ? undefined : s.runs.list.find((run) => run.runId === item.runId)?.workflowName));
  return (
    <li className="approval-card" data-kind={item.toolKind ?? item.kind} aria-label={sentence}>
      <div className="approval-card-head">
        {item.kind === 'permission' && <input type="checkbox" checked={selected} onChange={() => onToggle(item.id)} aria-label={`Select: ${sentence}`} />}
        {item.kind === 'permission' ? (
          <>
            <strong>{who}</strong>
            <span>wants to {wants}</span>
          </>
        ) : (
          <strong>{sentence}</strong>
        )}
        <span className="meta">
          {item.runId !== null ? <a href={routeHref({ view: 'run', id: item.runId })}>{whereFrom(item, workflowName)}</a> : whereFrom(item)} · {formatWhen(item.createdAt)}
        </span>
      </div>
      {item.kind === 'permission' && item.title && item.title.toLowerCase() !== wants.toLowerCase() && <p className="approval-title">{item.title}</p>}
      {item.command && (
        <pre className="tool-call-command" aria-label="Command">
          <code>$ {item.command}</code>
        </pre>
      )}
      {item.cwd && <p className="meta approval-cwd">in {item.cwd}</p>}
      {item.diffs.length > 0 && (
        <LazyPart what="the diff" loading={<p className="meta">Loading the diff…</p>}>
          <SessionEditDiff diffs={item.diffs} cwd={item.cwd} />
        </LazyPart>
      )}
      {item.kind === 'input' ? (
        <p className="meta">It waits for your answer in its terminal: open the run to type it.</p>
      ) : (
        <AnswerButtons what={`${who}: ${wants}`} busy={busy} requests={[item]} gate={item.kind === 'gate' || item.kind === 'budget'} onAnswer={(answer, message) => onAnswer([item.id], answer, message)} />
      )}
      {refusal && (
        <p className="session-error" role="alert">
          {refusal}
        </p>
      )}
    </li>
  );
});
