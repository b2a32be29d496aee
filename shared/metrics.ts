/**
 * Live numbers: what the engine samples once a second (processes, the machine) and what it counts
 * from the runs it keeps (runs, steps, retries, cost, tokens). The contract's `metrics.*` domain
 * and the browser host's Prometheus page both read these shapes.
 */

/** CPU in percent of one core (a process busy on two cores shows 200), memory as resident bytes. */
export interface ResourceSample {
  cpuPercent: number;
  rssBytes: number;
  /** Processes in the tree that was summed. */
  processes: number;
}

export interface MachineSample {
  /** Percent of the whole machine (all cores together make 100). */
  cpuPercent: number;
  cpus: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  load: [number, number, number];
}

/** One terminal's whole process tree: a step's attempt, a user's shell or a tool's session. */
export interface ProcessTreeSample extends ResourceSample {
  terminalId: string;
  /** Set when the terminal runs a step's attempt. */
  owner: { runId: string; step: number; attempt: number; agentId: string | null; platform: string } | null;
  /** The process in the terminal's foreground is blocked reading it: a question waits for an answer. */
  waitingForInput: boolean;
}

export interface MetricsSnapshot {
  /** When it was sampled, ISO 8601. */
  at: string;
  machine: MachineSample;
  engine: { cpuPercent: number; rssBytes: number };
  active: { runs: number; steps: number; terminals: number; agentsBusy: number; stepsWaitingForInput: number };
  /** Since local midnight. `successRate` is null before any run ended today. */
  today: {
    runsStarted: number;
    runsSucceeded: number;
    runsFailed: number;
    successRate: number | null;
    retries: number;
    timeouts: number;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
  };
  processes: ProcessTreeSample[];
}

/**
 * Series `metrics.series` can return. Resource series are labelled by `agent` (the agent's id, or
 * the tool's platform for steps run with default settings); counters by `workflow`, `agent` or
 * `tool`; `steps.duration` by `tool` and `quantile` (0.5, 0.9, 0.99).
 */
export const metricNames = [
  'machine.cpu',
  'machine.memory',
  'machine.load',
  'engine.cpu',
  'engine.memory',
  'agent.cpu',
  'agent.memory',
  'runs.started',
  'runs.succeeded',
  'runs.failed',
  'steps.duration',
  'steps.retries',
  'steps.timeouts',
  'cost.usd',
  'tokens.input',
  'tokens.output',
] as const;
export type MetricName = (typeof metricNames)[number];

export interface MetricSeries {
  metric: MetricName;
  /** Bucket width in seconds. */
  step: number;
  series: {
    labels: Record<string, string>;
    /** [bucket start in epoch milliseconds, value]; buckets with no data are left out. */
    points: [number, number][];
  }[];
}
