import { describe, expect, it } from 'vitest';
import { TimeRing } from '../../renderer/dashboard/time-ring.js';

const t0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => t0 + seconds * 1000;

describe('the live charts ring buffer', () => {
  it('keeps the newest rows only, in time order, in uPlot shape (seconds, null where missing)', () => {
    const ring = new TimeRing(3);
    ring.append({ t: at(0), values: { cpu: 10 } });
    ring.append({ t: at(1), values: { cpu: 20, memory: 100 } });
    ring.append({ t: at(2), values: { memory: 200 } });
    ring.append({ t: at(3), values: { cpu: 40, memory: 300 } });

    expect(ring.length).toBe(3);
    expect(ring.toAligned(['cpu', 'memory'])).toEqual([
      [at(1) / 1000, at(2) / 1000, at(3) / 1000],
      [20, null, 40],
      [100, 200, 300],
    ]);
    expect(ring.newest(['cpu', 'memory', 'unknown'])).toEqual([40, 300, null]);
  });

  it('refuses a row that is not newer than the last (a late tick) and does not notify for it', () => {
    const ring = new TimeRing(5);
    let changes = 0;
    ring.subscribe(() => changes++);
    expect(ring.append({ t: at(5), values: { cpu: 1 } })).toBe(true);
    expect(ring.append({ t: at(5), values: { cpu: 2 } })).toBe(false);
    expect(ring.append({ t: at(4), values: { cpu: 3 } })).toBe(false);
    expect(changes).toBe(1);
    expect(ring.toAligned(['cpu'])[1]).toEqual([1]);
  });

  it('drops a column that had no value for a whole window (an agent that stopped long ago)', () => {
    const ring = new TimeRing(3);
    ring.append({ t: at(0), values: { gone: 5, stays: 1 } });
    ring.append({ t: at(1), values: { stays: 1 } });
    ring.append({ t: at(2), values: { stays: 1 } });
    expect(ring.keys()).toEqual(['gone', 'stays']);
    ring.append({ t: at(3), values: { stays: 1 } });
    expect(ring.keys()).toEqual(['stays']);
  });

  it('puts history before the live rows, leaving out what the live rows already cover', () => {
    const ring = new TimeRing(4);
    ring.append({ t: at(10), values: { cpu: 50 } });
    ring.append({ t: at(11), values: { cpu: 60 } });
    ring.prepend([
      { t: at(11), values: { cpu: 999 } },
      { t: at(8), values: { cpu: 30 } },
      { t: at(7), values: { cpu: 20 } },
      { t: at(9), values: { cpu: 40 } },
    ]);
    // Capacity 4: the oldest history row goes; the live ones stay as they were.
    expect(ring.toAligned(['cpu'])).toEqual([[8, 9, 10, 11].map((s) => at(s) / 1000), [30, 40, 50, 60]]);
    ring.append({ t: at(12), values: { cpu: 70 } });
    expect(ring.toAligned(['cpu'])[1]).toEqual([40, 50, 60, 70]);
  });

  it('breaks the lines across a silence longer than the limit (nothing ran, nothing sampled)', () => {
    const ring = new TimeRing(10);
    ring.append({ t: at(0), values: { cpu: 10 } });
    ring.append({ t: at(1), values: { cpu: 20 } });
    ring.append({ t: at(60), values: { cpu: 30 } });
    expect(ring.toAligned(['cpu'], 5000)).toEqual([[at(0) / 1000, at(1) / 1000, (at(1) + at(60)) / 2000, at(60) / 1000], [10, 20, null, 30]]);
  });

  it('holds a fixed amount whatever the length of the run: a day of ticks in a 900-row ring', () => {
    const ring = new TimeRing(900);
    for (let s = 0; s < 86_400; s++) ring.append({ t: at(s), values: { cpu: s % 100, memory: s } });
    expect(ring.length).toBe(900);
    expect(ring.firstTime).toBe(at(86_400 - 900));
    expect(ring.lastTime).toBe(at(86_399));
    const [xs, , memory] = ring.toAligned(['cpu', 'memory']);
    expect(xs).toHaveLength(900);
    expect(memory![899]).toBe(86_399);
  });

  it('refuses a capacity that cannot hold a line', () => {
    expect(() => new TimeRing(1)).toThrow(/capacity must be an integer of at least 2/);
  });
});
