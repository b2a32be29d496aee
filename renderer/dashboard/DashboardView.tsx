import { ViewTitle } from '../components/ViewTitle.js';
import { usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { ActivityCharts } from './ActivityCharts.js';
import { DashboardTimeline } from './DashboardTimeline.js';
import { LiveResourceCharts } from './LiveResourceCharts.js';
import { MetricCards } from './MetricCards.js';
import './dashboard.css';

/**
 * What the agents are doing: live cards, resource charts, the day's activity and a run's
 * timeline. Only the cards and the small header line re-render per tick; charts draw themselves.
 */
export function DashboardView() {
  useDocumentTitle('Dashboard');
  return (
    <article className="view dashboard">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>Dashboard</ViewTitle>
          <SampleLine />
        </div>
      </header>
      <MetricCards />
      <LiveResourceCharts />
      <ActivityCharts />
      <DashboardTimeline />
    </article>
  );
}

function SampleLine() {
  const at = usePhoton((s) => s.metrics.snapshot?.at ?? null);
  const sampling = usePhoton((s) => s.metrics.snapshot?.sampling ?? null);
  const unavailable = usePhoton((s) => s.metrics.unavailable);
  if (unavailable && !at) {
    return (
      <p className="meta" role="status">
        Metrics are not available from this engine: {unavailable}
      </p>
    );
  }
  return (
    <p className="meta">
      {at ? `Last sample ${formatWhen(at)}; live while anything runs.` : 'Reading the latest numbers…'}
      {sampling === 'unavailable' && ' Per-process CPU and memory cannot be measured on this system.'}
    </p>
  );
}
