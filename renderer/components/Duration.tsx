import { usePhoton } from '../lib/app-context.js';
import { elapsedMs, formatDuration } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';

/**
 * Time from start to finish, ticking every second while there is no finish yet and the link to
 * the engine is up: without it nobody knows whether the step still runs, so the time stops.
 */
export function Duration({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const live = usePhoton((s) => s.connection.status === 'open');
  const ticking = startedAt !== null && finishedAt === null && live;
  const now = useNow(ticking);
  const ms = elapsedMs(startedAt, finishedAt, now);
  return <span className="duration">{ms === null ? '—' : formatDuration(ms)}</span>;
}
