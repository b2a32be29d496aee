import type { MetricsSnapshot } from '../../shared/metrics.js';

/** A metrics snapshot as the engine sends it: an idle machine unless patched. */
export function snapshot(at: string, patch: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    at,
    sampling: 'proc',
    waitingDetection: true,
    machine: { cpuPercent: 12.5, cpus: 2, memoryUsedBytes: 4 * 2 ** 30, memoryTotalBytes: 16 * 2 ** 30, load: [0.5, 0.4, 0.3] },
    engine: { cpuPercent: 1, rssBytes: 90 * 2 ** 20 },
    active: { runs: 0, steps: 0, terminals: 0, agentsBusy: 0, stepsWaitingForInput: 0 },
    today: { runsStarted: 0, runsSucceeded: 0, runsFailed: 0, successRate: null, retries: 0, timeouts: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    processes: [],
    agents: [],
    ...patch,
  };
}
