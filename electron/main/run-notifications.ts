import type { RunStatus, RunSummary } from '../../shared/runs.js';

export interface RunNotification {
  title: string;
  body: string;
  /** The renderer's hash route to the run, shown when the notification is clicked. */
  route: string;
}

/** The native notification for a run that just ended; none for a run still going or interrupted by a quit. */
export function notificationFor(run: RunSummary): RunNotification | null {
  const name = run.workflowName || 'Workflow';
  const { total, succeeded, failed, skipped, cancelled } = run.counts;
  const took = duration(run.startedAt, run.finishedAt);
  const steps = (n: number) => `${n} ${n === 1 ? 'step' : 'steps'}`;
  let title: string;
  let body: string;
  switch (run.status) {
    case 'succeeded':
      title = `${name} succeeded`;
      body = `${total === succeeded ? `All ${steps(total)}` : `${succeeded} of ${steps(total)}`} succeeded${took ? ` in ${took}` : ''}.`;
      break;
    case 'failed':
      title = `${name} failed`;
      body = `${failed} of ${steps(total)} failed${skipped ? `, ${skipped} skipped` : ''}${took ? ` after ${took}` : ''}.`;
      break;
    case 'cancelled':
      title = `${name} was cancelled`;
      body = `${succeeded} of ${steps(total)} succeeded${cancelled ? `, ${cancelled} cancelled` : ''}.`;
      break;
    default:
      return null;
  }
  return { title, body, route: runRoute(run.runId) };
}

/** The renderer's route to a run. */
export function runRoute(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}

const endStatuses: ReadonlySet<RunStatus> = new Set<RunStatus>(['succeeded', 'failed', 'cancelled']);

/**
 * Follows run.updated events: which runs are running (for the tray) and which just ended (for a
 * notification). A run is reported as ended once per transition, however often its final state
 * is announced.
 */
export class RunTracker {
  private readonly statuses = new Map<string, RunStatus>();

  /** Seeds the tracker with runs that exist before any event arrives. */
  seed(runs: readonly Pick<RunSummary, 'runId' | 'status'>[]): void {
    for (const run of runs) this.statuses.set(run.runId, run.status);
  }

  /** Records an update; returns whether this update is the run's end (and so deserves a notification). */
  update(run: Pick<RunSummary, 'runId' | 'status'>): { ended: boolean; changed: boolean } {
    const previous = this.statuses.get(run.runId);
    this.statuses.set(run.runId, run.status);
    const changed = previous !== run.status;
    return { ended: changed && endStatuses.has(run.status), changed };
  }

  get runningCount(): number {
    let count = 0;
    for (const status of this.statuses.values()) if (status === 'running') count++;
    return count;
  }
}

function duration(startedAt: string | null, finishedAt: string | null): string | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
