import { isFinalStepStatus, type ItemCounts, type StepState } from '../../shared/runs.js';
import { AnswerButtons } from '../approvals/AnswerButtons.js';
import { useApprovalAnswer } from '../approvals/use-approval-answer.js';
import { usePhoton } from '../lib/app-context.js';
import { countRender } from '../lib/render-count.js';
import { routeHref } from '../lib/route.js';
import { itemProgress, waitingWords } from './decision-words.js';

/*
 * What a run's decisions look like on a step, the same on its node (both canvases) and its card on
 * the run page: a fan-out's items, the child run of a sub-workflow, why a ready step waits, and a
 * waiting gate's question with its answers.
 */

/** `7/20` with a bar and the failed count; a progressbar for screen readers. */
export function ItemsProgress({ items }: { items: ItemCounts }) {
  countRender('items-progress');
  const progress = itemProgress(items);
  return (
    <div className="items-progress">
      <span className="items-progress-text">
        <span className="visually-hidden">Items: </span>
        {progress.text}
        {progress.problems && <span className="items-progress-problems"> · {progress.problems}</span>}
      </span>
      <div
        className={`items-progress-bar${items.failed > 0 ? ' has-failed' : ''}`}
        role="progressbar"
        aria-label="Items done"
        aria-valuemin={0}
        aria-valuemax={Math.max(progress.total, 1)}
        aria-valuenow={progress.done}
        aria-valuetext={progress.spoken}
      >
        <span style={{ width: progress.total > 0 ? `${(100 * progress.done) / progress.total}%` : '0%' }} />
      </div>
    </div>
  );
}

export function ChildRunLink({ childRunId }: { childRunId: string }) {
  return (
    <a className="child-run-link nodrag" href={routeHref({ view: 'run', id: childRunId })}>
      Open its run <span aria-hidden="true">→</span>
    </a>
  );
}

export function WaitingNote({ waitingFor }: { waitingFor: NonNullable<StepState['waitingFor']> }) {
  return (
    <p className="waiting-note" data-waiting={waitingFor}>
      {waitingWords(waitingFor)}
      {' '}
      <a className="nodrag" href={routeHref(waitingFor === 'budget' ? { view: 'approvals' } : { view: 'settings' })}>
        {waitingFor === 'budget' ? 'Answer in Approvals' : 'The cap, in Settings'}
      </a>
    </p>
  );
}

/**
 * A gate waiting on this run's step: its question and Approve / Reject, answered through the same
 * inbox as the Approvals page (which it leaves). Nothing once answered or before it asks.
 */
export function GateQuestion({ runId, step }: { runId: string; step: number }) {
  const item = usePhoton((s) => {
    for (const candidate of Object.values(s.approvals.byId)) {
      if (candidate.kind === 'gate' && candidate.status === 'waiting' && candidate.runId === runId && candidate.step === step) return candidate;
    }
    return undefined;
  });
  const { answer, busy, refusals } = useApprovalAnswer();
  if (!item) return null;
  const refusal = refusals.find((r) => r.id === item.id);
  return (
    <div className="gate-question nodrag">
      <p className="gate-question-text">{item.title}</p>
      <AnswerButtons what={`step ${step}: ${item.title}`} busy={busy.has(item.id)} requests={[item]} gate onAnswer={(choice, message) => void answer([item.id], choice, message)} />
      {refusal && (
        <p className="field-error" role="alert">
          {refusal.reason}
        </p>
      )}
    </div>
  );
}

/**
 * The decision facts of a step in a run, each shown when it applies. `waiting`: false where the
 * view says why a step waits by itself (the run page's card does).
 */
export function StepDecisionFacts({ runId, state, gate, waiting = true }: { runId: string; state: StepState; gate: boolean; waiting?: boolean }) {
  return (
    <>
      {state.items && <ItemsProgress items={state.items} />}
      {state.childRunId && <ChildRunLink childRunId={state.childRunId} />}
      {waiting && state.waitingFor && !isFinalStepStatus(state.status) && <WaitingNote waitingFor={state.waitingFor} />}
      {gate && state.status === 'running' && <GateQuestion runId={runId} step={state.step} />}
    </>
  );
}
