import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { isActiveRunStatus, isResumableRunStatus } from '../../shared/runs.js';
import { RunCanvas } from '../canvas/RunCanvas.js';
import { RunTimeline } from '../dashboard/RunTimeline.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { countRender } from '../lib/render-count.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { savedDifference } from '../lib/resume-choice.js';
import { RunOutputFeed } from '../lib/run-output-feed.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import type { DiffTarget } from '../workspaces/DiffPanel.js';
import { WorkspacePanel } from '../workspaces/WorkspacePanel.js';
import { Duration } from './Duration.js';
import { RunOrigin } from './RunOrigin.js';
import { stepCardId } from './RunStepCard.js';
import { StepCardList } from './StepCardList.js';
import { StatusBadge } from './StatusBadge.js';
import { ViewError } from './ViewError.js';
import { ViewTitle } from './ViewTitle.js';
import './run-view.css';

/** Brings `element` to the top of the main area (the one scroller of the app), moving nothing else. */
function scrollIntoMain(element: HTMLElement): void {
  const main = element.closest('main');
  if (!main) return;
  main.scrollTop += element.getBoundingClientRect().top - main.getBoundingClientRect().top;
}

export function RunView({ runId }: { runId: string }) {
  countRender('run-view');
  const { client, actions } = useServices();
  const run = usePhoton((s) => s.runs.byId[runId]);
  const error = usePhoton((s) => s.viewErrors[`run:${runId}`]);
  const busy = usePhoton((s) => Boolean(s.busy[`run:${runId}`]));
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const saved = usePhoton((s) => (run?.workflowId ? s.workflows.byId[run.workflowId] : undefined));
  // Only for a run that can be resumed: while one runs, every step event would compare the definitions again.
  const difference = useMemo(() => (run && isResumableRunStatus(run.status) ? savedDifference(run, saved) : null), [run, saved]);
  const noteId = useId();
  // Live output lives here, per view, never in the store.
  const feed = useMemo(() => new RunOutputFeed(), []);
  useDocumentTitle(run ? `Run of ${run.workflowName}` : null);

  useEffect(
    () =>
      client.on('step.output', (payload) => {
        if (payload.runId === runId) feed.append(payload.step, payload.attempt, payload.data);
      }),
    [client, feed, runId],
  );

  useEffect(() => {
    if (!linkOpen) feed.markGap();
  }, [feed, linkOpen]);

  // A step picked on the canvas: its card (output, terminal) comes into view with its output focused.
  // Only the main area scrolls: scrollIntoView would scroll every ancestor, the app shell and the
  // page too, leaving a blank band under the status bar.
  // A card further down than the list has drawn yet is drawn first, then brought into view.
  const [reveal, setReveal] = useState<{ step: number } | null>(null);
  const openStep = useCallback((step: number) => setReveal({ step }), []);
  useEffect(() => {
    if (!reveal) return;
    const card = document.getElementById(stepCardId(reveal.step));
    if (!card) return;
    scrollIntoMain(card);
    card.querySelector<HTMLElement>('[role="log"]')?.focus({ preventScroll: true });
  }, [reveal]);

  // A step's diff, opened from its node or the Changes table, comes into view under the table.
  const [diff, setDiff] = useState<DiffTarget | null>(null);
  const openDiff = useCallback((target: DiffTarget) => {
    setDiff(target);
    requestAnimationFrame(() => {
      const panel = document.getElementById('workspace-diff');
      if (panel) scrollIntoMain(panel);
    });
  }, []);
  const openStepDiff = useCallback((step: number) => openDiff({ step }), [openDiff]);

  if (error) return <ViewError what="Run" error={error} />;
  if (!run) return <p className="view loading">Loading run…</p>;

  const running = isActiveRunStatus(run.status);
  const resumable = isResumableRunStatus(run.status);

  return (
    <article className="view">
      <header className="view-head run-head">
        <div className="view-heading">
          <ViewTitle>{run.workflowName}</ViewTitle>
          <p className="meta run-facts">
            <StatusBadge status={run.status} />
            {!linkOpen && running && <span className="stale-note">last known, not connected</span>}
            <span>
              {run.counts.succeeded} of {run.counts.total} steps succeeded
            </span>
            <span>Started {formatWhen(run.startedAt ?? run.createdAt)}</span>
            <span>
              Duration <Duration startedAt={run.startedAt} finishedAt={run.finishedAt} />
            </span>
            {run.workflowId && <a href={routeHref({ view: 'workflow', id: run.workflowId })}>Open workflow</a>}
          </p>
          <RunOrigin parent={run.parent} trigger={run.trigger} />
          <p className="meta">
            Run <code>{run.runId}</code>
          </p>
        </div>
        <div className="view-actions">
          {running && (
            <button type="button" className="button danger" disabled={busy || !linkOpen} onClick={() => void actions.cancelRun(runId)}>
              <span aria-hidden="true">■ </span>
              {busy ? 'Cancelling…' : 'Cancel run'}
            </button>
          )}
          {resumable && difference?.usable && (
            <button type="button" className="button primary" disabled={busy || !linkOpen} aria-describedby={noteId} onClick={() => void actions.resumeRun(runId, 'saved')}>
              <span aria-hidden="true">↻ </span>
              {busy ? 'Resuming…' : 'Resume as saved'}
            </button>
          )}
          {resumable && (
            <button
              type="button"
              className={`button${difference?.usable ? '' : ' primary'}`}
              disabled={busy || !linkOpen}
              aria-describedby={difference ? noteId : undefined}
              onClick={() => void actions.resumeRun(runId, 'run')}
            >
              <span aria-hidden="true">↻ </span>
              {busy ? 'Resuming…' : difference ? 'Resume as it ran' : 'Resume run'}
            </button>
          )}
        </div>
        {resumable && difference && (
          <p className="resume-note" id={noteId}>
            <strong>The saved workflow differs from this run: {difference.summary}.</strong> {difference.detail}
          </p>
        )}
      </header>
      <RunCanvas runId={run.runId} workflow={run.workflow} onOpenStep={openStep} {...(run.workspace ? { onOpenDiff: openStepDiff } : {})} />
      {run.workspace && <WorkspacePanel run={run} diff={diff} onOpenDiff={openDiff} onCloseDiff={() => setDiff(null)} />}
      <RunTimeline runId={runId} />
      <StepCardList runId={runId} runStatus={run.status} steps={run.steps} feed={feed} reveal={reveal?.step ?? null} />
    </article>
  );
}
