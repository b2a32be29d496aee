/**
 * Live numbers: what the engine samples once a second (processes, the machine) and what it counts
 * from the runs it keeps (runs, steps, retries, cost, tokens). The contract's `metrics.*` domain
 * and the browser host's Prometheus page both read these shapes.
 *
 * An agent, wherever numbers are grouped by one, is named by its label: the saved agent's id, or
 * the tool's platform (`claude-code`, `shell`…) for a step run with the tool's default settings.
 */

/** How per-process numbers were measured: `/proc` (Linux), `ps` (macOS), or not at all (Windows). */
export type ProcessSampling = 'proc' | 'ps' | 'unavailable';

export interface MachineSample {
  /** Percent of the whole machine (all cores together make 100), since the previous sample. */
  cpuPercent: number;
  cpus: number;
  /** Memory in use: total less what the OS could hand out now (Linux's MemAvailable). */
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  /** Load averages over 1, 5 and 15 minutes; null where the OS has none (Windows). */
  load: [number, number, number] | null;
}

/**
 * One terminal's whole process tree (its process and every descendant): a step's attempt, a user's
 * shell or a tool's session. CPU in percent of one core (a tree busy on two cores shows 200) since
 * the previous sample, or since the tree started; a tree younger than one sampling interval reads 0
 * until the next sample, which covers its whole life. Memory as resident bytes summed over the tree.
 */
export interface ProcessTreeSample {
  terminalId: string;
  cpuPercent: number;
  rssBytes: number;
  /** Processes in the tree that was summed. */
  processes: number;
  /** Set when the terminal runs a step's attempt. `agent` is the label described above. */
  owner: { runId: string; step: number; attempt: number; agentId: string | null; platform: string; agent: string } | null;
  /**
   * The terminal's foreground process has been blocked reading the terminal for about a second or
   * more: a question waits for an answer. Seen for programs that wait in a plain `read` of the
   * terminal (shells, `read`, most prompts); a full-screen program that polls its input looks idle
   * instead. Always false where `waitingDetection` is false.
   */
  waitingForInput: boolean;
  /**
   * The program in the terminal's foreground, by its command name (`vim`, `npm`, `sleep`): what a
   * shell is running now. Null while the terminal's own process has the foreground (a shell at its
   * prompt, a tool opened directly) and where it is not detected (it is where `waitingDetection` is).
   */
  foregroundProgram: string | null;
  /**
   * The remote host the step runs on, by its name; absent for a tree on this machine. A remote
   * tree's numbers are the host's processes carrying the attempt's mark, sampled over its ssh
   * connection (CPU in percent of one of the host's cores); a tick whose sample of the host failed
   * leaves the tree out.
   */
  host?: string;
}

/** Steps' resources added up by agent label, as the per-agent charts plot them. */
export interface AgentResourceSample {
  agent: string;
  cpuPercent: number;
  rssBytes: number;
  /** Step attempts of this agent running now. */
  steps: number;
  /** The remote hosts among them, by name; absent when all run on this machine. */
  hosts?: string[];
}

export interface MetricsSnapshot {
  /** When it was sampled, ISO 8601. */
  at: string;
  sampling: ProcessSampling;
  /** Whether `waitingForInput` is detected on this OS (Linux only). */
  waitingDetection: boolean;
  machine: MachineSample;
  /** The engine's own process: CPU in percent of one core, since the previous sample. */
  engine: { cpuPercent: number; rssBytes: number };
  /**
   * Now: runs this engine is executing, step attempts with a live process, live terminals of every
   * kind (steps' and the user's), distinct agent labels with a running step (shell steps run with
   * default settings are not agents and are left out), and steps waiting for input.
   */
  active: { runs: number; steps: number; terminals: number; agentsBusy: number; stepsWaitingForInput: number };
  /**
   * Since local midnight. Runs started today; runs that ended today succeeded or failed
   * (`successRate` is succeeded / (succeeded + failed), null before any ended today; cancelled and
   * interrupted runs count in neither); retries are attempts after a step's first started today;
   * timeouts are attempts that timed out today; cost and tokens are what attempts that ended today reported.
   */
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
    /** The parts of `inputTokens` read from and written to a prompt cache. */
    cacheReadTokens: number;
    cacheWriteTokens: number;
  };
  /** Every live terminal's tree; empty where none is live, and always where `sampling` is `unavailable`. */
  processes: ProcessTreeSample[];
  /** The step trees in `processes`, added up by agent label. */
  agents: AgentResourceSample[];
}

/**
 * Series `metrics.series` can return, with their labels and the value of each bucket:
 *
 * - `machine.cpu` (percent of the machine), `machine.memory` (used bytes), `machine.load` (1-minute
 *   load), `engine.cpu` (percent of one core), `engine.memory` (resident bytes): no labels; the mean
 *   of the samples in the bucket. Sampled only while something runs, so idle time has no points.
 * - `agent.cpu`, `agent.memory`: by `agent`; the mean over the bucket's samples of that agent's
 *   step trees added up (percent of one core, resident bytes).
 * - `runs.started` (by creation), `runs.succeeded`, `runs.failed` (by end): by `workflow` (its name); counts.
 * - `steps.succeeded`, `steps.failed` (failed or timed out as the step's final status, by end): by
 *   `workflow`, `agent` and `tool`; counts.
 * - `steps.duration`: by `tool` and `quantile` (`0.5`, `0.9`, `0.99`); seconds, over the attempts
 *   that ended in the bucket (succeeded, failed or timed out; cancelled ones say nothing of a tool's speed).
 * - `steps.retries` (attempts after the first, by start), `steps.timeouts` (attempts timed out, by
 *   end): by `workflow`, `agent` and `tool`; counts.
 * - `cost.usd`, `tokens.input`, `tokens.output`: by `workflow`, `agent` and `tool`; sums of what
 *   attempts that ended in the bucket reported.
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
  'steps.succeeded',
  'steps.failed',
  'steps.duration',
  'steps.retries',
  'steps.timeouts',
  'cost.usd',
  'tokens.input',
  'tokens.output',
] as const;
export type MetricName = (typeof metricNames)[number];

/** Sampled metrics, kept as raw samples for a day and one-minute rollups for a month. */
export const sampledMetricNames = ['machine.cpu', 'machine.memory', 'machine.load', 'engine.cpu', 'engine.memory', 'agent.cpu', 'agent.memory'] as const;
export type SampledMetricName = (typeof sampledMetricNames)[number];

export const durationQuantiles = [0.5, 0.9, 0.99] as const;

export interface MetricSeries {
  metric: MetricName;
  /** Bucket width in seconds. */
  step: number;
  series: {
    labels: Record<string, string>;
    /**
     * [bucket start in epoch milliseconds, value], oldest first; buckets with no data are left out.
     * Buckets start at whole multiples of `step` seconds since the epoch (in UTC: a day's bucket
     * starts at UTC midnight), so the first may begin before `from`; only data from `from` to `to`
     * counts. A bucket of a minute or more reads the one-minute rollups (a whole minute counts in
     * the bucket it starts in); a shorter one reads the raw samples (kept a day), and the rollups
     * where those are gone.
     */
    points: [number, number][];
  }[];
}

/** All-time totals for `GET /metrics`, counted from the runs the engine keeps. */
export interface MetricsTotals {
  runs: { workflow: string; status: string; count: number }[];
  /** Steps by final status (succeeded, failed, timed_out, cancelled, skipped). */
  steps: { agent: string; tool: string; status: string; count: number }[];
  retries: { workflow: string; agent: string; tool: string; count: number }[];
  timeouts: { workflow: string; agent: string; tool: string; count: number }[];
  /** `cacheReadTokens` and `cacheWriteTokens` are the parts of `inputTokens` read from and written to a prompt cache. */
  usage: { workflow: string; agent: string; tool: string; costUsd: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }[];
  /** Attempt durations by tool: count and sum all-time, quantiles over the last `quantileWindowSeconds`. */
  stepDurations: { tool: string; count: number; sumSeconds: number; quantiles: { quantile: number; seconds: number }[] }[];
  quantileWindowSeconds: number;
}

/** What the browser host publishes at `GET /metrics`: the latest sample and the totals. */
export interface MetricsExport {
  snapshot: MetricsSnapshot;
  totals: MetricsTotals;
}
