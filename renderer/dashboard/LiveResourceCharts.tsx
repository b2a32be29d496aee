import { useEffect, useMemo } from 'react';
import { useServices, usePhoton } from '../lib/app-context.js';
import { formatWhen } from '../lib/format.js';
import { errorBody, reportBackgroundError } from '../sync/report-error.js';
import { ringFeed, type ChartFeed } from './chart-feed.js';
import { timeChartOptions, type TimeChartSpec } from './chart-options.js';
import { liveCapacity, loadLiveHistory } from './dashboard-data.js';
import { formatBytes, formatPercent } from './format-metrics.js';
import { agentKeys, agentLabel, agentOfKey, liveKey, noteAgentHosts, snapshotRow } from './metric-shaping.js';
import { TimeRing } from './time-ring.js';
import { UplotChart, type BuildOptions } from './UplotChart.js';

/** Ticks come once a second while something runs; a longer silence is a gap, not a slope. */
const breakAfterMs = 5_000;
const chartHeight = 180;

// The least each axis shows, so an idle agent's line lies low instead of filling the chart.
const cpuSpec = (labels: string[]): TimeChartSpec => ({ height: chartHeight, series: labels.map((label) => ({ label })), format: formatPercent, minMax: 10 });
const memorySpec = (labels: string[]): TimeChartSpec => ({
  height: chartHeight,
  series: labels.map((label) => ({ label })),
  format: formatBytes,
  minMax: 64 * 2 ** 20,
  marks: 'bytes',
});
const machineSpec = (labels: string[]): TimeChartSpec => ({ height: chartHeight, series: labels.map((label) => ({ label })), format: formatPercent, minMax: 100 });

const agentCpuOptions: BuildOptions = (labels, theme, width) => timeChartOptions(cpuSpec(labels), theme, width);
const agentMemoryOptions: BuildOptions = (labels, theme, width) => timeChartOptions(memorySpec(labels), theme, width);
const machineOptions: BuildOptions = (labels, theme, width) => timeChartOptions(machineSpec(labels), theme, width);

function describeAgents(format: (value: number) => string) {
  return (labels: string[], newest: (number | null)[], at: number | null): string => {
    if (at === null) return 'No samples yet: they are taken while something runs.';
    const running = labels.map((label, i) => ({ label, value: newest[i] })).filter((entry) => entry.value !== null);
    if (running.length === 0) return `No agent was running at the last sample (${formatWhen(new Date(at).toISOString())}).`;
    return `At ${formatWhen(new Date(at).toISOString())}: ${running.map((entry) => `${entry.label} ${format(entry.value!)}`).join(', ')}.`;
  };
}

/**
 * CPU and memory by agent and of the machine, live. Samples go from the store into a ring buffer
 * as ticks arrive, and each chart redraws itself from the ring; the page never re-renders for it.
 * On open (and after a reconnect) the last minutes are read from the engine's history.
 */
export function LiveResourceCharts() {
  const { client, store } = useServices();
  const linkOpen = usePhoton((s) => s.connection.status === 'open');
  const ring = useMemo(() => new TimeRing(liveCapacity), []);
  const agentHosts = useMemo(() => new Map<string, Set<string>>(), []);

  useEffect(() => {
    const add = (snapshot: Parameters<typeof snapshotRow>[0] | null) => {
      const row = snapshot && snapshotRow(snapshot);
      if (!row) return;
      // Before the row: the charts redraw on append and name the hosts then.
      noteAgentHosts(agentHosts, snapshot);
      ring.append(row);
    };
    add(store.getState().metrics.snapshot);
    return store.subscribe((state, previous) => {
      if (state.metrics.snapshot !== previous.metrics.snapshot) add(state.metrics.snapshot);
    });
  }, [agentHosts, ring, store]);

  useEffect(() => {
    if (!linkOpen) return;
    let cancelled = false;
    loadLiveHistory(client).then(
      (rows) => {
        if (!cancelled) ring.prepend(rows);
      },
      (error: unknown) => {
        // An engine without metrics is said once, by the page's header.
        if (!cancelled && errorBody(error).code !== 'unavailable') reportBackgroundError(store, 'Could not read the metrics history', error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, linkOpen, ring, store]);

  const feeds = useMemo(() => {
    const agents = (metric: 'agent.cpu' | 'agent.memory') => (keys: string[]) => {
      const picked = agentKeys(keys, metric);
      return {
        keys: picked,
        labels: picked.map((key) => {
          const agent = agentOfKey(key) ?? key;
          return agentLabel(agent, agentHosts.get(agent));
        }),
      };
    };
    const machineKeys = [liveKey('machine.cpu'), liveKey('machine.memory')];
    const memoryTotal = () => store.getState().metrics.snapshot?.machine.memoryTotalBytes ?? null;
    const machine: ChartFeed = ringFeed(
      ring,
      () => ({ keys: machineKeys, labels: ['CPU', 'Memory'] }),
      (_labels, [cpu, memory], at) => {
        if (at === null) return 'No samples yet: they are taken while something runs.';
        const total = memoryTotal();
        return `At ${formatWhen(new Date(at).toISOString())}: CPU ${formatPercent(cpu)}, memory ${formatPercent(memory)}${total ? ` of ${formatBytes(total)}` : ''}.`;
      },
      breakAfterMs,
      (value, column) => {
        if (column === 0) return value;
        const total = memoryTotal();
        return total ? (value / total) * 100 : null;
      },
    );
    return {
      cpu: ringFeed(ring, agents('agent.cpu'), describeAgents(formatPercent), breakAfterMs),
      memory: ringFeed(ring, agents('agent.memory'), describeAgents(formatBytes), breakAfterMs),
      machine,
    };
  }, [agentHosts, ring, store]);

  return (
    <section className="dashboard-section" aria-labelledby="dashboard-resources">
      <h2 id="dashboard-resources">Resources while something runs (up to {Math.round(liveCapacity / 60)} minutes of samples)</h2>
      <div className="chart-grid">
        <UplotChart title="CPU by agent (% of one core)" feed={feeds.cpu} options={agentCpuOptions} />
        <UplotChart title="Memory by agent" feed={feeds.memory} options={agentMemoryOptions} />
        <UplotChart title="Machine CPU and memory (%)" feed={feeds.machine} options={machineOptions} />
      </div>
    </section>
  );
}
