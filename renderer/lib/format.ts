/** "4.2 s", "3 min 05 s", "1 h 02 min": short enough for a table cell. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Elapsed time between two ISO instants; `now` stands in for an end not yet reached. */
export function elapsedMs(startedAt: string | null, finishedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start);
}

/** A local date and time for lists: "14:03:07" today, "12 Mar, 14:03" otherwise. */
export function formatWhen(iso: string | null, now = new Date()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return (sameDay ? timeOfDay : dayAndTime).format(date);
}

// Made once: toLocaleString with options builds a formatter at every call, and lists re-render
// their times at every event of a big run (the profile of one showed half a second in it).
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * Dollars: cents from a dollar up; below it up to four places, since one step often costs a
 * fraction of a cent ("$0.0123", "$0.50", "$12.35"); "—" for nothing known.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  // Four places, then the zeros past the cents dropped: 0.5000 reads $0.50.
  return `$${usd.toFixed(4).replace(/0{1,2}$/, '')}`;
}
