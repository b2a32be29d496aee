/** One sample time with the values of the columns that had one then. */
export interface TimedRow {
  /** Epoch milliseconds. */
  t: number;
  values: Record<string, number>;
}

/** uPlot's input: times in seconds, then one array per series with null where a sample is missing. */
export type AlignedColumns = [number[], ...(number | null)[][]];

/**
 * The live charts' memory: the newest `capacity` rows of timestamped samples in fixed typed
 * arrays, so a run that goes on for hours holds the same few kilobytes and a tick costs one
 * write per column. Columns come and go with the agents that run; one unseen for a whole
 * window is dropped. Listeners hear each change, so a chart can redraw without React.
 */
export class TimeRing {
  private readonly times: Float64Array;
  private readonly columns = new Map<string, { values: Float64Array; lastSeen: number }>();
  /** Physical index of the oldest row. */
  private head = 0;
  private size = 0;
  /** Rows ever written, to age out columns. */
  private written = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`TimeRing capacity must be an integer of at least 2, not ${capacity}`);
    this.times = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** The newest row's time, or null while empty. */
  get lastTime(): number | null {
    return this.size === 0 ? null : this.times[this.physical(this.size - 1)]!;
  }

  get firstTime(): number | null {
    return this.size === 0 ? null : this.times[this.head]!;
  }

  /** Adds a row after the newest; a row not newer than it is refused (a tick that arrived late). */
  append(row: TimedRow): boolean {
    const last = this.lastTime;
    if (last !== null && row.t <= last) return false;
    this.write(row);
    this.emit();
    return true;
  }

  /**
   * Puts rows fetched from history before the live ones: rows at or after the oldest live row
   * are already covered by it and left out; when there is not room for all, the oldest go.
   */
  prepend(history: readonly TimedRow[]): void {
    const first = this.firstTime;
    const older = history.filter((row) => first === null || row.t < first).sort((a, b) => a.t - b.t);
    if (older.length === 0) return;
    const live = this.rows();
    this.clear();
    const merged = [...older, ...live].slice(-this.capacity);
    for (const row of merged) this.write(row);
    this.emit();
  }

  /** Column names in first-seen order. */
  keys(): string[] {
    return [...this.columns.keys()];
  }

  /** The rows in time order, columns without a value left out. */
  rows(): TimedRow[] {
    const rows: TimedRow[] = [];
    for (let i = 0; i < this.size; i++) {
      const index = this.physical(i);
      const values: Record<string, number> = {};
      for (const [key, column] of this.columns) {
        const value = column.values[index]!;
        if (!Number.isNaN(value)) values[key] = value;
      }
      rows.push({ t: this.times[index]!, values });
    }
    return rows;
  }

  /**
   * The named columns in uPlot's shape; a key the ring does not hold gives a column of nulls.
   * Where two rows are more than `breakAfterMs` apart (nothing ran, so nothing was sampled), a
   * row of nulls between them breaks the lines instead of drawing a slope across the silence.
   */
  toAligned(keys: readonly string[], breakAfterMs = Infinity): AlignedColumns {
    const xs: number[] = [];
    const ys = keys.map((): (number | null)[] => []);
    const columns = keys.map((key) => this.columns.get(key)?.values);
    let previous: number | null = null;
    for (let i = 0; i < this.size; i++) {
      const index = this.physical(i);
      const t = this.times[index]!;
      if (previous !== null && t - previous > breakAfterMs) {
        xs.push((previous + t) / 2000);
        for (const column of ys) column.push(null);
      }
      previous = t;
      xs.push(t / 1000);
      for (let c = 0; c < keys.length; c++) {
        const value = columns[c]?.[index];
        ys[c]!.push(value === undefined || Number.isNaN(value) ? null : value);
      }
    }
    return [xs, ...ys];
  }

  /** The named columns' values in the newest row (null where it has none). */
  newest(keys: readonly string[]): (number | null)[] {
    if (this.size === 0) return keys.map(() => null);
    const index = this.physical(this.size - 1);
    return keys.map((key) => {
      const value = this.columns.get(key)?.values[index];
      return value === undefined || Number.isNaN(value) ? null : value;
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private physical(logical: number): number {
    return (this.head + logical) % this.capacity;
  }

  private write(row: TimedRow): void {
    let index: number;
    if (this.size < this.capacity) {
      index = this.physical(this.size);
      this.size++;
    } else {
      index = this.head;
      this.head = (this.head + 1) % this.capacity;
    }
    this.times[index] = row.t;
    this.written++;
    for (const [key, value] of Object.entries(row.values)) {
      if (!Number.isFinite(value)) continue;
      let column = this.columns.get(key);
      if (!column) {
        column = { values: new Float64Array(this.capacity).fill(Number.NaN), lastSeen: this.written };
        this.columns.set(key, column);
      }
      column.lastSeen = this.written;
    }
    for (const [key, column] of this.columns) {
      const value = row.values[key];
      column.values[index] = value !== undefined && Number.isFinite(value) ? value : Number.NaN;
      if (this.written - column.lastSeen >= this.capacity) this.columns.delete(key);
    }
  }

  private clear(): void {
    this.head = 0;
    this.size = 0;
    this.columns.clear();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
