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

/** Lines also differ by dash, so two series are told apart without colour. */
const dashes: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [10, 3, 2, 3]];

export interface SeriesSpec {
  label: string;
  /** Index into the theme's palette (wraps). */
  colour?: number;
}

export interface TimeChartSpec {
  height: number;
  series: SeriesSpec[];
  /** How the y axis and the legend print a value. */
  format: (value: number) => string;
  /** Starts the y axis at zero, and lets it grow from `minMax` (e.g. 100 for percentages). */
  minMax?: number;
  /** Counts: stepped lines, since a bucket's value holds for the whole bucket. */
  stepped?: boolean;
}

function axisStyle(theme: ChartTheme): uPlot.Axis {
  return {
    stroke: theme.muted,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
}

/** A translucent fill from a theme colour (the variables are #rrggbb). */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  return `#${hex[1]}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

function colourOf(theme: ChartTheme, index: number): string {
  return theme.palette[index % theme.palette.length]!;
}

/** A live or historical time series chart: time in seconds on x, one line per series. */
export function timeChartOptions(spec: TimeChartSpec, theme: ChartTheme, width: number): uPlot.Options {
  const yFormat = (_u: uPlot, splits: number[]) => splits.map((v) => spec.format(v));
  return {
    width,
    height: spec.height,
    pxAlign: false,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { show: true, live: true },
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, Math.max(max, spec.minMax ?? 0, 1e-9) * 1.05] },
    },
    axes: [{ ...axisStyle(theme) }, { ...axisStyle(theme), values: yFormat, size: 64 }],
    series: [
      { label: 'Time' },
      ...spec.series.map((s, index) => ({
        label: s.label,
        stroke: colourOf(theme, s.colour ?? index),
        width: 1.6,
        dash: dashes[index % dashes.length],
        spanGaps: false,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : spec.format(v)),
        ...(spec.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
      })),
    ],
  };
}

export interface CategoryChartSpec {
  height: number;
  categories: string[];
  /** Drawn in this order, each narrower than the last, so several values per category nest. */
  series: (SeriesSpec & { size: number })[];
  format: (value: number) => string;
}

/** Bars per category (a tool, an agent): x is the category's index, labelled with its name. */
export function categoryChartOptions(spec: CategoryChartSpec, theme: ChartTheme, width: number): uPlot.Options {
  const indices = spec.categories.map((_, index) => index);
  return {
    width,
    height: spec.height,
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    legend: { show: true, live: true },
    scales: {
      x: { time: false, range: [-0.5, Math.max(spec.categories.length, 1) - 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(max, 1e-9) * 1.1] },
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
          paths: uPlot.paths.bars!({ size: [s.size, 80] }),
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : spec.format(v)),
        };
      }),
    ],
  };
}
