// The dashboard charts' axes, as the user reads them beside the lines.
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { timeChartOptions, type TimeChartSpec } from '../../renderer/dashboard/chart-options.js';
import { formatBytes, formatCount } from '../../renderer/dashboard/format-metrics.js';

const theme = { text: '#000', muted: '#666', grid: '#ddd', palette: ['#00f'] };
const MB = 2 ** 20;

/** The labels of the y axis of a chart of `spec` whose values reach `max`. */
function yLabels(spec: Omit<TimeChartSpec, 'height' | 'series'>, max: number): string[] {
  const axis = timeChartOptions({ height: 100, series: [{ label: 'shell' }], ...spec }, theme, 400).axes![1]!;
  const splits = (axis.splits as (u: uPlot, axisIndex: number, min: number, max: number) => number[])({} as uPlot, 1, 0, max);
  return (axis.values as (u: uPlot, splits: number[]) => string[])({} as uPlot, splits);
}

describe('y axis marks', () => {
  it('fall on round sizes in the units memory is written in', () => {
    // The memory chart's least range (64 MB and 5 % above): uPlot's own marks read 19.1 MB, 38.1 MB, 57.2 MB.
    expect(yLabels({ format: formatBytes, minMax: 64 * MB, marks: 'bytes' }, 64 * MB * 1.05)).toEqual(['0 B', '20.0 MB', '40.0 MB', '60.0 MB']);
    expect(yLabels({ format: formatBytes, minMax: 64 * MB, marks: 'bytes' }, 750 * MB)).toEqual(['0 B', '200 MB', '400 MB', '600 MB']);
    expect(yLabels({ format: formatBytes, minMax: 64 * MB, marks: 'bytes' }, 1.6 * 1024 * MB)).toEqual(['0 B', '512 MB', '1.00 GB', '1.50 GB']);
  });

  it('fall on whole numbers for counts', () => {
    expect(yLabels({ format: formatCount, minMax: 2, marks: 'whole' }, 7)).toEqual(['0', '2', '4', '6']);
  });
});

describe('time axis', () => {
  /** The x range of a line chart of samples at `times`, given uPlot's own `min` and `max`. */
  const xRange = (times: number[], min: number, max: number) => {
    const x = timeChartOptions({ height: 100, series: [{ label: 'shell' }], format: formatBytes, minMax: 1 }, theme, 400).scales!.x!;
    return (x.range as (u: uPlot, min: number, max: number, key: string) => [number, number])({ data: [times] } as unknown as uPlot, min, max, 'x');
  };

  it('spans at least the last minute, so a single sample is not spread over years', () => {
    const now = Date.parse('2026-12-06T23:51:24Z') / 1000;
    // uPlot widens a single sample's range to 86,400,000 seconds before it asks.
    expect(xRange([now], now, now + 86_400_000)).toEqual([now - 60, now]);
    expect(xRange([now - 20, now - 10, now], now - 20, now)).toEqual([now - 60, now]);
    expect(xRange([now - 600, now], now - 600, now)).toEqual([now - 600, now]);
  });
});
