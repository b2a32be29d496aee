import { useCallback, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ViewTitle } from '../components/ViewTitle.js';
import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { answeredApprovals, waitingApprovals } from '../store/approvals-slice.js';
import '../sessions/sessions.css';
import { AnswerButtons } from './AnswerButtons.js';
import { ApprovalCard } from './ApprovalCard.js';
import { RulesEditor } from './RulesEditor.js';
import { answerRecord, askerName, batchKind, batchKindWords, toggleSelection, wantsText, whereFrom } from './approval-words.js';
import { useApprovalAnswer } from './use-approval-answer.js';
import './approvals.css';

/** How many answered requests the record shows. */
const recordShown = 50;

/** `#/approvals`: every agent's waiting permission requests in one place, answered one by one or together. */
export function ApprovalsView() {
  useDocumentTitle('Approvals');
  const loaded = usePhoton((s) => s.approvals.loaded);
  const waiting = usePhoton(useShallow((s) => waitingApprovals(s.approvals.byId)));
  const answered = usePhoton(useShallow((s) => answeredApprovals(s.approvals.byId).slice(0, recordShown)));
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const { answer, busy, refusals } = useApprovalAnswer();

  // Requests answered meanwhile (elsewhere, by a rule, by a timeout) leave the selection.
  const selected = useMemo(() => new Set([...picked].filter((id) => waiting.some((item) => item.id === id))), [picked, waiting]);
  const selectedKind = useMemo(() => {
    const first = waiting.find((item) => selected.has(item.id));
    return first ? batchKind(first) : null;
  }, [selected, waiting]);
  const refusedBy = useMemo(() => new Map(refusals.map((r) => [r.id, r.reason])), [refusals]);

  const toggle = useCallback((id: string) => setPicked((current) => toggleSelection(current, id, waiting)), [waiting]);
  const respond = useCallback(
    (ids: string[], choice: Parameters<typeof answer>[1], message?: string) => {
      // Only the answered ones leave the selection; others picked meanwhile stay.
      void answer(ids, choice, message).then(() => setPicked((current) => new Set([...current].filter((id) => !ids.includes(id)))));
    },
    [answer],
  );
  const sameKind = selectedKind ? waiting.filter((item) => batchKind(item) === selectedKind) : [];

  return (
    <article className="view approvals-view">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>Approvals</ViewTitle>
          <p className="lead">What agents ask before they act, from every session and run. Select several of one kind to answer them together.</p>
        </div>
      </header>

      {selected.size > 1 && selectedKind && (
        <section className="approval-batch" aria-label="Answer the selected requests">
          <p>
            <strong>
              {selected.size} {batchKindWords(selectedKind)} selected
            </strong>
            {sameKind.length > selected.size && (
              <button type="button" className="button small" onClick={() => setPicked(new Set(sameKind.map((item) => item.id)))}>
                Select all {sameKind.length}
              </button>
            )}
            <button type="button" className="button small" onClick={() => setPicked(new Set())}>
              Clear
            </button>
          </p>
          <AnswerButtons what={`${selected.size} selected requests`} busy={[...selected].some((id) => busy.has(id))} requests={waiting.filter((item) => selected.has(item.id))} onAnswer={(choice, message) => respond([...selected], choice, message)} />
        </section>
      )}

      <section aria-labelledby="approvals-waiting">
        <h2 id="approvals-waiting">Waiting {waiting.length > 0 && <span className="approvals-badge">{waiting.length}</span>}</h2>
        {!loaded ? (
          <p className="meta">Reading the inbox…</p>
        ) : waiting.length === 0 ? (
          <p className="meta">Nothing is waiting for an answer. Requests the rules answer never come here; they are in the record below.</p>
        ) : (
          <ul className="approval-list">
            {waiting.map((item) => (
              <ApprovalCard key={item.id} item={item} selected={selected.has(item.id)} busy={busy.has(item.id)} refusal={refusedBy.get(item.id)} onToggle={toggle} onAnswer={respond} />
            ))}
          </ul>
        )}
        {refusals
          .filter((r) => !waiting.some((item) => item.id === r.id))
          .map((r) => (
            <p key={r.id} className="session-error" role="alert">
              {r.reason}
            </p>
          ))}
      </section>

      <section aria-labelledby="approvals-record">
        <h2 id="approvals-record">Answered</h2>
        {answered.length === 0 ? (
          <p className="meta">No answers yet.</p>
        ) : (
          <ul className="approval-record">
            {answered.map((item) => (
              <li key={item.id} data-status={item.status}>
                {item.kind === 'permission' ? (
                  <>
                    <strong>{askerName(item)}</strong> wanted to {wantsText(item)}
                  </>
                ) : (
                  item.title
                )}{' '}
                ·{' '}
                {item.runId !== null ? <a href={routeHref({ view: 'run', id: item.runId })}>{whereFrom(item)}</a> : whereFrom(item)} — {answerRecord(item)}
                <span className="meta"> · {formatWhen(item.answeredAt ?? item.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <RulesEditor />
    </article>
  );
}
