import { elapsedMs, formatDuration } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';

/** Time from start to finish, ticking every second while there is no finish yet. */
export function Duration({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const ticking = startedAt !== null && finishedAt === null;
  const now = useNow(ticking);
  const ms = elapsedMs(startedAt, finishedAt, now);
  return <span className="duration">{ms === null ? '—' : formatDuration(ms)}</span>;
}
