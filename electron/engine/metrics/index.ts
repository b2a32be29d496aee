/**
 * Metrics: what the engine measures and counts. A sampler reads every live terminal's process
 * tree, the machine and the engine once a second while anything runs, stores the samples (raw for
 * a day, one-minute rollups for a month, pruned in small batches), raises each attempt's resource
 * peaks, and announces `metrics.tick` and `step.waiting`. Counters (runs, steps, retries, timeouts,
 * cost, tokens) are counted from the runs storage keeps, never kept twice.
 */
export { createMetricsService, type MetricsService, type MetricsOptions, type MetricsDependencies } from './metrics-service.js';
