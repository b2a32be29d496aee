import { memo, useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartFeed } from './chart-feed.js';
import { readChartTheme, type ChartTheme } from './chart-options.js';

export type BuildOptions = (labels: string[], theme: ChartTheme, width: number) => uPlot.Options;

interface UplotChartProps {
  title: string;
  feed: ChartFeed;
  /** Stable (module level or memoised): a new function rebuilds the chart. */
  options: BuildOptions;
}

const minWidth = 240;

/**
 * A uPlot canvas that follows its feed: on each change one `setData` (or a rebuild when the
 * series changed), its summary text written straight to the DOM. React renders it once.
 */
export const UplotChart = memo(function UplotChart({ title, feed, options }: UplotChartProps) {
  const captionId = useId();
  const hostRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    const host = hostRef.current!;
    let chart: uPlot | null = null;
    let labelsKey: string | null = null;
    let theme = readChartTheme();
    const width = () => Math.max(host.clientWidth, minWidth);

    const build = (labels: string[]) => {
      chart?.destroy();
      labelsKey = labels.join('\n');
      chart = new uPlot(options(labels, theme, width()), feed.data() as uPlot.AlignedData, host);
    };
    const update = () => {
      const labels = feed.seriesLabels();
      const data = feed.data();
      // With nothing to draw the summary says why; empty axes would only show made-up marks.
      host.hidden = data[0].length === 0;
      if (chart === null || labels.join('\n') !== labelsKey) build(labels);
      else chart.setData(data as uPlot.AlignedData);
      if (summaryRef.current) summaryRef.current.textContent = feed.describe();
    };

    update();
    const stopFeed = feed.subscribe(update);
    let lastWidth = width();
    const resize = new ResizeObserver(() => {
      const next = width();
      if (chart === null || next === lastWidth) return;
      lastWidth = next;
      chart.setSize({ width: next, height: chart.height });
    });
    resize.observe(host);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      theme = readChartTheme();
      build(feed.seriesLabels());
    };
    scheme.addEventListener('change', onScheme);
    return () => {
      stopFeed();
      resize.disconnect();
      scheme.removeEventListener('change', onScheme);
      chart?.destroy();
    };
  }, [feed, options]);

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-title">
        {title}
      </figcaption>
      {/* The canvas and its legend repeat the summary below for sighted users. */}
      <div ref={hostRef} className="chart-canvas" aria-hidden="true" />
      <p ref={summaryRef} className="chart-summary" />
    </figure>
  );
});
