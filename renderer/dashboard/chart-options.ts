import uPlot from 'uplot';

/** The page's colours as the charts draw them (canvas cannot read CSS variables itself). */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  palette: string[];
}

const paletteVariables = ['--run', '--ok', '--warn', '--accent', '--bad', '--idle'];

export function readChartTheme(element: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1b1f27'),
    muted: read('--muted', '#5b6473'),
    grid: read('--border', '#d6dae2'),
    palette: paletteVariables.map((name) => read(name, '#5b6473')),
  };
}

/** A translucent fill from a theme colour (the variables are #rrggbb). */
function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  return `#${hex[1]}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

/** Lines also differ by dash, so two series are told apart without colour. */
const dashes: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [10, 3, 2, 3]];

export interface SeriesSpec {
  label: string;
  /** Index into the theme's palette (wraps). */
  colour?: number;
  /** Draws the series as bars, with this opacity; the data gives each series its own slot (groupedColumns). */
  bar?: { alpha: number };
}

export interface TimeChartSpec {
  height: number;
  series: SeriesSpec[];
  /** How the y axis and the legend print a value. */
  format: (value: number) => string;
  /** The y axis starts at zero and reaches at least this (100 for a machine's percentages). */
  minMax: number;
  /** Where the y axis has its marks: on whole numbers (counts) or on round 1024-based sizes (bytes); else where uPlot puts them. */
  marks?: 'whole' | 'bytes';
  /** Called with the data index of a click on the plot (a bar: its bucket and series). */
  onPick?: (index: number) => void;
}

function axisStyle(theme: ChartTheme): uPlot.Axis {
  return {
    stroke: theme.muted,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
}

function colourOf(theme: ChartTheme, index: number): string {
  return theme.palette[index % theme.palette.length]!;
}

/** Marks from zero to `max`, about four of them, at the first of `steps` that spaces them so. */
function splitsBy(max: number, steps: readonly number[]): number[] {
  const step = steps.find((s) => max / s <= 4) ?? Math.ceil(max / 4);
  const splits: number[] = [];
  for (let v = 0; v <= max; v += step) splits.push(v);
  return splits;
}

/** Whole-number marks, for counts. */
function wholeSplits(max: number): number[] {
  return splitsBy(max, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]);
}

/**
 * Marks at round sizes in the 1024-based units formatBytes writes: "0 B, 20 MB, 40 MB, 60 MB".
 * uPlot's own fall on round decimal numbers of bytes, which in those units read 19.1 MB, 38.1 MB, 57.2 MB.
 */
function byteSplits(max: number): number[] {
  let unit = 1;
  while (unit * 1024 <= max) unit *= 1024;
  return splitsBy(max, [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].map((s) => s * unit).filter((s) => s >= 1));
}

const marksBy = { whole: wholeSplits, bytes: byteSplits };

/**
 * The least span of time a line chart spans, ending at its newest sample. With a single sample
 * (the engine just started) uPlot widens the range to 86,400 of its time units before asking,
 * which for times in seconds is 1,000 days: the axis read Jun 2027 to Jun 2029. So the span is
 * read from the samples themselves.
 */
export const leastSpanSeconds = 60;

function atLeastLeastSpan(times: ArrayLike<number>, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (times.length === 0) return [min, max];
  const first = times[0]!;
  const last = times[times.length - 1]!;
  return last - first >= leastSpanSeconds ? [first, last] : [last - leastSpanSeconds, last];
}

function padByHalfBucket(xs: ArrayLike<number>, min: number, max: number): [number, number] {
  const half = xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 1;
  return [min - half, max + half];
}

const valueOf = (format: (value: number) => string) => (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : format(v));

/** Clicks on the plot area report the data index under the pointer. */
function pickPlugin(onPick: ((index: number) => void) | undefined): uPlot.Plugin[] {
  if (!onPick) return [];
  return [
    {
      hooks: {
        ready: (u) => {
          u.over.style.cursor = 'pointer';
          u.over.addEventListener('click', () => {
            if (u.cursor.idx !== null && u.cursor.idx !== undefined) onPick(u.cursor.idx);
          });
        },
      },
    },
  ];
}

/**
 * A line chart's legend shows the newest values while the pointer is elsewhere, so it reads at a
 * glance; hovering shows the values under the pointer as before.
 */
const newestInLegend: uPlot.Plugin = {
  hooks: {
    setCursor: (u) => {
      if ((u.cursor.idx === null || u.cursor.idx === undefined) && u.data[0].length > 0) u.setLegend({ idx: u.data[0].length - 1 });
    },
    setData: (u) => {
      if ((u.cursor.idx === null || u.cursor.idx === undefined) && u.data[0].length > 0) u.setLegend({ idx: u.data[0].length - 1 });
    },
  },
};

/** Each bar's value written above it: a category chart is read without hovering. */
function valueLabels(format: (value: number) => string, theme: ChartTheme): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx } = u;
        ctx.save();
        ctx.fillStyle = theme.text;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'bottom';
        for (let s = 1; s < u.series.length; s++) {
          const ys = u.data[s]!;
          for (let i = 0; i < ys.length; i++) {
            const value = ys[i];
            if (value === null || value === undefined) continue;
            ctx.fillText(format(value), u.valToPos(u.data[0][i]!, 'x', true), u.valToPos(value, 'y', true) - 3 * devicePixelRatio);
          }
        }
        ctx.restore();
      },
    },
  };
}

/** A time series chart: time in seconds on x, a line (or bars) per series, y from zero. */
export function timeChartOptions(spec: TimeChartSpec, theme: ChartTheme, width: number): uPlot.Options {
  const bars = spec.series.some((s) => s.bar);
  const marks = spec.marks && marksBy[spec.marks];
  return {
    width,
    height: spec.height,
    pxAlign: false,
    cursor: { drag: { x: false, y: false }, points: { size: 6, show: !bars } },
    // Bars sit in slots of their own, so a hovered index holds one series: their legend names them instead.
    legend: { show: true, live: !bars },
    plugins: [...(bars ? [] : [newestInLegend]), ...pickPlugin(spec.onPick)],
    scales: {
      // Bars stand centred on their bucket's start: half a bucket more each side keeps the ends whole.
      x: bars ? { time: true, range: (u, min, max) => padByHalfBucket(u.data[0], min, max) } : { time: true, range: (u, min, max) => atLeastLeastSpan(u.data[0], min, max) },
      y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, spec.minMax) * 1.05] },
    },
    axes: [
      { ...axisStyle(theme) },
      {
        ...axisStyle(theme),
        values: (_u, splits) => splits.map((v) => spec.format(v)),
        size: 64,
        ...(marks ? { splits: (_u: uPlot, _axis: number, _min: number, max: number) => marks(max) } : {}),
      },
    ],
    series: [
      { label: 'Time' },
      ...spec.series.map((s, index): uPlot.Series => {
        const colour = colourOf(theme, s.colour ?? index);
        if (s.bar) {
          return {
            label: s.label,
            stroke: colour,
            fill: withAlpha(colour, s.bar.alpha),
            width: 1,
            points: { show: false },
            paths: uPlot.paths.bars!({ size: [0.9, Infinity] }),
            value: valueOf(spec.format),
          };
        }
        return {
          label: s.label,
          stroke: colour,
          width: 1.6,
          dash: dashes[index % dashes.length],
          spanGaps: false,
          points: { show: false },
          value: valueOf(spec.format),
        };
      }),
    ],
  };
}

export interface CategoryChartSpec {
  height: number;
  categories: string[];
  /** One bar per series in each category, side by side (the data comes from groupedColumns). */
  series: SeriesSpec[];
  format: (value: number) => string;
  /** The y axis starts at zero and reaches at least this. */
  minMax: number;
  onPick?: (index: number) => void;
}

/** Widest a bar grows, in pixels. */
const maxBarPixels = 64;

/** Bars per category (a tool, an agent): x is the category's index, labelled with its name. */
export function categoryChartOptions(spec: CategoryChartSpec, theme: ChartTheme, width: number): uPlot.Options {
  const indices = spec.categories.map((_, index) => index);
  return {
    width,
    height: spec.height,
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    // The values are written on the bars and the legend names the series: nothing needs a hover.
    legend: { show: true, live: false },
    plugins: [valueLabels(spec.format, theme), ...pickPlugin(spec.onPick)],
    scales: {
      x: { time: false, range: [-0.5, Math.max(spec.categories.length, 1) - 0.5] },
      // Room above the tallest bar for its value.
      y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, spec.minMax) * 1.22] },
    },
    axes: [
      { ...axisStyle(theme), splits: () => indices, values: (_u, splits) => splits.map((i) => spec.categories[i] ?? '') },
      { ...axisStyle(theme), values: (_u, splits) => splits.map((v) => spec.format(v)), size: 64 },
    ],
    series: [
      { label: 'Category', value: (_u, i) => (i === null ? '—' : (spec.categories[i] ?? '—')) },
      ...spec.series.map((s, index) => {
        const colour = colourOf(theme, s.colour ?? index);
        return {
          label: s.label,
          stroke: colour,
          fill: withAlpha(colour, 0.55),
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [0.9, maxBarPixels] }),
          value: valueOf(spec.format),
        };
      }),
    ],
  };
}
