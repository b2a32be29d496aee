import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isActiveRunStatus } from '../../shared/runs.js';
import { StepOutput } from '../components/StepOutput.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { RunOutputFeed } from '../lib/run-output-feed.js';
import { selectRunStep } from '../store/selectors.js';

/*
 * The parts of the workflow canvas that show the run on it, each following only what it shows:
 * the canvas itself (toolbar, graph, palette, inspector, step list) no longer renders at every
 * frame of a big run's events.
 */

/** "Showing run …: running, 12 of 1000 succeeded", with Hide run for a finished run the user chose. */
export function CanvasRunBanner({ runId, chosen, onHide }: { runId: string; chosen: boolean; onHide(): void }) {
  const facts = usePhoton(
    useShallow((s) => {
      const run = s.runs.byId[runId];
      return run ? { status: run.status, succeeded: run.counts.succeeded, total: run.counts.total } : null;
    }),
  );
  if (!facts) return null;
  return (
    <p className="canvas-run-banner" role="status">
      Showing run <a href={routeHref({ view: 'run', id: runId })}>{runId}</a>: {facts.status}, {facts.succeeded} of {facts.total} succeeded.{' '}
      <button type="button" className="link-button" onClick={onHide} hidden={!chosen || isActiveRunStatus(facts.status)}>
        Hide run
      </button>
    </p>
  );
}

/** A step's output in the run on the canvas, as its node's Output button asked. */
export function CanvasStepOutput({ runId, step, onClose }: { runId: string; step: number; onClose(): void }) {
  const { client } = useServices();
  const state = usePhoton(selectRunStep(runId, step));
  // A step's stored output comes when it ends: while it runs, what it printed so far and as it
  // prints comes from the live tail, as on the run's page.
  const feed = useMemo(() => new RunOutputFeed(), [runId]);
  useEffect(
    () =>
      client.on('step.output', (payload) => {
        if (payload.runId === runId) feed.append(payload.step, payload.attempt, payload.data);
      }),
    [client, feed, runId],
  );
  if (!state) return null;
  const running = state.status === 'running' || state.status === 'retrying';
  return (
    <section className="canvas-output" aria-label={`Output of step ${state.step}`}>
      <header>
        <h2 className="canvas-panel-title">
          Output of step {state.step}: {state.title}
        </h2>
        <a href={routeHref({ view: 'run', id: runId })}>Open the run</a>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      {running ? <StepOutput runId={runId} step={state} feed={feed} /> : <pre role="log">{state.output ?? state.error ?? '(no output yet)'}</pre>}
    </section>
  );
}
