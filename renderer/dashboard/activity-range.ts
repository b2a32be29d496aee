/**
 * The Activity section's time ranges and how each is bucketed: the bars of the runs chart stay
 * countable (12 to 30 of them) whatever the range.
 */
export interface ActivityRange {
  id: '1h' | '24h' | '7d' | '30d';
  label: string;
  /** Length in milliseconds, ending now. */
  ms: number;
  /** Seconds per bar of the runs chart. */
  bucketSeconds: number;
  /** How a bucket's start is written under its bar and in the list of its runs. */
  bucketLabel: 'time' | 'day';
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const activityRanges: readonly ActivityRange[] = [
  { id: '1h', label: 'Last hour', ms: hour, bucketSeconds: 300, bucketLabel: 'time' },
  { id: '24h', label: 'Last 24 hours', ms: day, bucketSeconds: 3600, bucketLabel: 'time' },
  { id: '7d', label: 'Last 7 days', ms: 7 * day, bucketSeconds: 6 * 3600, bucketLabel: 'day' },
  { id: '30d', label: 'Last 30 days', ms: 30 * day, bucketSeconds: 86_400, bucketLabel: 'day' },
];

/** A day of runs is what most people look at first. */
export const defaultRange: ActivityRange = activityRanges[1]!;

export function rangeById(id: string | null): ActivityRange {
  return activityRanges.find((r) => r.id === id) ?? defaultRange;
}
