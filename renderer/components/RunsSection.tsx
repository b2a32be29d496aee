import { usePhoton } from '../lib/app-context.js';
import { RunListItem } from './RunListItem.js';

export function RunsSection() {
  const runs = usePhoton((s) => s.runs.list);
  const loaded = usePhoton((s) => s.runs.loaded);

  return (
    <section className="sidebar-section" aria-labelledby="runs-heading">
      <div className="section-head">
        <h2 id="runs-heading">Recent runs</h2>
      </div>
      {!loaded ? (
        <p className="empty">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty">No runs yet.</p>
      ) : (
        <ul className="nav-list">
          {runs.map((run) => (
            <RunListItem key={run.runId} run={run} />
          ))}
        </ul>
      )}
    </section>
  );
}
