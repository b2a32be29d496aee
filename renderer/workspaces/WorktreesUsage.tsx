import { useCallback, useEffect, useId, useState } from 'react';
import { formatBytes } from '../../shared/byte-text.js';
import type { WorkspacesUsage } from '../../shared/workspace-review.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { errorBody } from '../sync/report-error.js';
import { ReviewOutcomeText } from './ReviewOutcomeText.js';
import { useReviewAction } from './use-review-action.js';
import { removedText } from './workspace-words.js';
import './workspaces.css';

type Loaded = { state: 'loading' } | { state: 'ready'; usage: WorkspacesUsage } | { state: 'failed'; message: string };

/**
 * The disk space Photon's worktrees take, run by run, with the two ways to get it back: clean up
 * the finished runs' worktrees (their branches stay, so their diffs can still be reviewed and
 * merged), or prune everything Photon made for runs that are not running.
 */
export function WorktreesUsage() {
  const { client } = useServices();
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const { outcome, perform } = useReviewAction(null);
  const titleId = useId();

  const load = useCallback(async () => {
    try {
      setLoaded({ state: 'ready', usage: await client.call('workspaces.usage') });
    } catch (error) {
      setLoaded({ state: 'failed', message: errorBody(error).message });
    }
  }, [client]);

  useEffect(() => {
    if (linkOpen) void load();
  }, [linkOpen, load]);

  if (loaded.state === 'loading') return null;
  if (loaded.state === 'failed') {
    return (
      <section className="worktrees-usage" aria-labelledby={titleId}>
        <h2 id={titleId}>Worktrees</h2>
        <p className="review-refused">Could not measure Photon’s worktrees: {loaded.message}</p>
      </section>
    );
  }
  const { usage } = loaded;
  const finished = usage.runs.filter((r) => r.finished);
  const finishedBytes = finished.reduce((sum, r) => sum + r.bytes, 0);
  const busy = outcome.state === 'busy';
  // Nothing made yet, nothing said (unless an action just emptied it).
  if (usage.runs.length === 0 && outcome.state === 'idle') return null;

  const act = (work: () => Promise<{ message: string }>) => void perform(work).then(load);

  return (
    <section className="worktrees-usage" aria-labelledby={titleId}>
      <h2 id={titleId}>Worktrees</h2>
      <p>
        Photon’s worktrees take <strong>{formatBytes(usage.totalBytes)}</strong> in <code>{usage.folder}</code>.
      </p>
      {usage.runs.length > 0 && (
        <table className="workspace-steps">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Repository</th>
              <th scope="col">Worktrees</th>
              <th scope="col">On disk</th>
              <th scope="col">Result branch</th>
            </tr>
          </thead>
          <tbody>
            {usage.runs.map((run) => (
              <tr key={run.runId}>
                <th scope="row">
                  <a href={routeHref({ view: 'run', id: run.runId })}>{run.workflowName}</a>
                </th>
                <td>{run.status}</td>
                <td>
                  <code>{run.repo}</code>
                </td>
                <td>{run.worktrees}</td>
                <td>{formatBytes(run.bytes)}</td>
                <td>{run.branch ? <code>{run.branch}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="workspace-actions">
        <button
          type="button"
          className="button"
          disabled={busy || finished.length === 0}
          onClick={() =>
            act(async () => {
              const removed = await client.call('workspaces.cleanup');
              return { message: `Cleaned up. ${removedText(removed)}` };
            })
          }
        >
          Clean up finished runs ({formatBytes(finishedBytes)})
        </button>
        <span className="meta">Removes the worktrees of runs that ended; their branches stay, so their diffs can still be reviewed and merged.</span>
      </div>
      <div className="workspace-actions">
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const removed = await client.call('workspaces.prune');
              return { message: `Pruned. ${removedText(removed)}` };
            })
          }
        >
          Prune everything Photon made
        </button>
        <span className="meta">Also deletes the photon/ branches of every run that is not running; results not merged or pushed are lost. Nothing of yours is touched.</span>
      </div>
      <ReviewOutcomeText outcome={outcome} />
    </section>
  );
}
