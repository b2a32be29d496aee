import { lazy, useEffect, useState } from 'react';
import type { WorkspaceDiff } from '../../shared/workspace-review.js';
import { LazyPart } from '../components/LazyPart.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

// The viewer and its highlighter load the first time a diff is opened.
const DiffViewer = lazy(() => import('./DiffViewer.js'));

/** Which diff: a step's latest attempt against its starting point, or the run's result against its base. */
export type DiffTarget = { step: number } | { step: null };

type Loaded = { state: 'loading' } | { state: 'ready'; diff: WorkspaceDiff } | { state: 'failed'; message: string };

interface DiffPanelProps {
  runId: string;
  target: DiffTarget;
  /** The step's title, for the heading. */
  title: string;
  onClose(): void;
}

export function DiffPanel({ runId, target, title, onClose }: DiffPanelProps) {
  const { client } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const step = target.step;

  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    client
      .call('workspaces.diff', step === null ? { runId } : { runId, step })
      .then((diff) => current && setLoaded({ state: 'ready', diff }))
      .catch((error: unknown) => current && setLoaded({ state: 'failed', message: errorBody(error).message }));
    return () => {
      current = false;
    };
  }, [client, runId, step]);

  const heading = step === null ? 'Diff of the run' : `Diff of step ${step}: ${title}`;
  return (
    <section className="diff-panel" aria-label={heading} id="workspace-diff">
      <div className="diff-panel-head">
        <h3>{heading}</h3>
        <button type="button" className="button small" onClick={onClose}>
          Close diff
        </button>
      </div>
      {loaded.state === 'loading' && <p className="meta">Reading the diff…</p>}
      {loaded.state === 'failed' && (
        <p className="review-refused" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <LazyPart what="the diff viewer" loading={<p className="meta">Loading the diff viewer…</p>}>
          <DiffViewer diff={loaded.diff} />
        </LazyPart>
      )}
    </section>
  );
}
