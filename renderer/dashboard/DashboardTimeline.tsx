import { useId, useState } from 'react';
import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { routeHref } from '../lib/route.js';
import { statusLabel } from '../lib/status.js';
import { RunTimeline } from './RunTimeline.js';

/** The timeline of the newest run, following new runs as they start, or of the run the user picks. */
export function DashboardTimeline() {
  const pickerId = useId();
  const runs = usePhoton((s) => s.runs.list);
  const [picked, setPicked] = useState<string | null>(null);
  const runId = picked !== null && runs.some((r) => r.runId === picked) ? picked : (runs[0]?.runId ?? null);

  if (runId === null) {
    return (
      <section className="dashboard-section" aria-labelledby={pickerId}>
        <h2 id={pickerId}>Run timeline</h2>
        <p className="empty">No runs yet: start a workflow to see its attempts here.</p>
      </section>
    );
  }

  return (
    <div className="dashboard-section">
      <RunTimeline
        runId={runId}
        title="Run timeline"
        actions={
          <div className="timeline-picker">
            <label htmlFor={pickerId}>Run</label>
            <select id={pickerId} value={picked ?? ''} onChange={(event) => setPicked(event.target.value === '' ? null : event.target.value)}>
              <option value="">Newest run</option>
              {runs.map((run) => (
                <option key={run.runId} value={run.runId}>
                  {run.workflowName} · {formatWhen(run.createdAt)} · {statusLabel(run.status)}
                </option>
              ))}
            </select>
            <a href={routeHref({ view: 'run', id: runId })}>Open run</a>
          </div>
        }
      />
    </div>
  );
}
