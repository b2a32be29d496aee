import type { AlignedColumns, TimeRing } from './time-ring.js';

/**
 * What a chart draws and when: the chart subscribes and redraws itself (`setData`) on each
 * change, so live numbers never pass through React.
 */
export interface ChartFeed {
  /** The series' names; when they change (an agent starts), the chart is built again. */
  seriesLabels(): string[];
  data(): AlignedColumns;
  /** The newest values in words, shown beside the canvas (which a screen reader cannot read). */
  describe(): string;
  subscribe(listener: () => void): () => void;
}

/** Data that changes only by being replaced: a new feed, a new chart. */
export function fixedFeed(labels: string[], data: AlignedColumns, description: string): ChartFeed {
  return { seriesLabels: () => labels, data: () => data, describe: () => description, subscribe: () => () => {} };
}

export interface RingSelection {
  /** Ring columns to draw, in order. */
  keys: string[];
  /** Their names in the legend. */
  labels: string[];
}

/**
 * Columns of a live ring: `select` picks them from the ring's current columns (so new agents
 * appear), and `describe` words their newest values.
 */
export function ringFeed(
  ring: TimeRing,
  select: (keys: string[]) => RingSelection,
  describe: (labels: string[], newest: (number | null)[], at: number | null) => string,
  breakAfterMs: number,
  /** Turns stored values into drawn ones (bytes into a share of the total), column by column. */
  convert: (value: number, column: number) => number | null = (value) => value,
): ChartFeed {
  const converted = (values: (number | null)[]) => values.map((v, column) => (v === null ? null : convert(v, column)));
  return {
    seriesLabels: () => select(ring.keys()).labels,
    data: () => {
      const [xs, ...ys] = ring.toAligned(select(ring.keys()).keys, breakAfterMs);
      return [xs, ...ys.map((column, index) => column.map((v) => (v === null ? null : convert(v, index))))];
    },
    describe: () => {
      const { keys, labels } = select(ring.keys());
      return describe(labels, converted(ring.newest(keys)), ring.lastTime);
    },
    subscribe: (listener) => ring.subscribe(listener),
  };
}
