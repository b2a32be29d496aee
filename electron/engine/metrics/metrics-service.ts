import type {
  AgentResourceSample,
  MetricSeries,
  MetricsExport,
  MetricsSnapshot,
  ProcessSampling,
  ProcessTreeSample,
} from '../../../shared/metrics.js';
import type { TerminalInfo } from '../../../shared/terminals.js';
import type { EventBus } from '../events/index.js';
import { isWriteRefusal, type AttemptLabels, type AttemptPeak, type MetricSampleRow, type MetricsRepository } from '../storage/index.js';
import { HostSampler } from './host-sample.js';
import { foregroundProgram } from './foreground.js';
import { blockedOnTerminalRead, WaitTracker } from './input-wait.js';
import { linuxPageSize, readProcTable, readProcTrees, readPsTable, type ProcessTable } from './process-table.js';
import { ProcessTrees } from './process-trees.js';
import { MetricsRetention } from './retention.js';
import { buildSeries, type SeriesQuery } from './series.js';
import { metricsTotals } from './totals.js';

export interface MetricsOptions {
  /** The clock samples are stamped with and retention counts from (tests move it). */
  now?: () => number;
  /** How often the sampler samples while something runs. */
  sampleIntervalMs?: number;
  /** How long a terminal must sit in a read of itself before its step counts as waiting for input. */
  waitingThresholdMs?: number;
  rawRetentionMs?: number;
  rollupRetentionMs?: number;
  /** How often rollups and pruning run. */
  maintenanceIntervalMs?: number;
  pruneBatchRows?: number;
  /** How per-process numbers are read; by default `/proc` on Linux, `ps` on macOS, none elsewhere. */
  processSampling?: ProcessSampling;
}

export interface MetricsDependencies {
  repo: MetricsRepository;
  events: EventBus;
  terminals: { list(): TerminalInfo[] };
  /** Runs this engine is executing: the sampler keeps going while any is, even between attempts. */
  activeRuns: () => number;
  /** The steps running on remote hosts, sampled there (the hosts' sampler). */
  remote?: RemoteTrees;
}

/**
 * Numbers of the terminals whose step runs on a remote host, by terminal id: measured there, or
 * null when the host's sample failed this tick. Their local process is only the ssh client.
 */
export interface RemoteTrees {
  readonly active: boolean;
  sample(): Promise<ReadonlyMap<string, { host: string; cpuPercent: number; rssBytes: number; processes: number } | null>>;
}

export interface MetricsService {
  /** The latest tick while sampling; a fresh sample (not stored) when idle. */
  snapshot(): Promise<MetricsSnapshot>;
  series(query: SeriesQuery): MetricSeries;
  /** The snapshot and all-time totals, for `GET /metrics`. */
  exportAll(): Promise<MetricsExport>;
  /** Whether the once-a-second sampler is running now. */
  readonly sampling: boolean;
  /** One pass of rollups and pruning now, as the maintenance timer does. */
  maintain(): Promise<void>;
  /** Stops the timers; nothing is written or emitted afterwards. */
  close(): Promise<void>;
}


const day = 24 * 60 * 60 * 1000;

interface LiveTerminal {
  info: TerminalInfo & { pid: number };
  labels: AttemptLabels | undefined;
}

export function createMetricsService(deps: MetricsDependencies, options: MetricsOptions = {}): MetricsService {
  return new Sampler(deps, options);
}

/**
 * The sampler: once a second while anything runs (a run, or any live terminal), it measures every
 * live terminal's process tree, the machine and the engine, stores the samples, raises attempts'
 * peaks, announces `metrics.tick` and `step.waiting`, and stops after one last tick once all is idle.
 */
class Sampler implements MetricsService {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly processSampling: ProcessSampling;
  private readonly pageSize: number;
  private readonly host = new HostSampler();
  private readonly trees: ProcessTrees;
  private readonly waits: WaitTracker;
  private readonly retention: MetricsRetention;
  private readonly labels = new Map<string, AttemptLabels>();
  private readonly peaks = new Map<string, { cpuPercent: number; rssBytes: number }>();
  /** Step terminals announced as waiting, with the owner the announcement named. */
  private readonly waiting = new Map<string, NonNullable<TerminalInfo['owner']>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly maintenanceTimer: NodeJS.Timeout;
  private ticking: Promise<void> | undefined;
  /** The last sample was refused by SQLite: said once until one is stored again. */
  private unstored = false;
  private latest: MetricsSnapshot | undefined;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: MetricsDependencies,
    options: MetricsOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.sampleIntervalMs ?? 1000;
    this.trees = new ProcessTrees(this.intervalMs);
    this.processSampling = options.processSampling ?? (process.platform === 'linux' ? 'proc' : process.platform === 'darwin' ? 'ps' : 'unavailable');
    this.pageSize = this.processSampling === 'proc' ? linuxPageSize() : 0;
    this.waits = new WaitTracker(options.waitingThresholdMs ?? 900);
    this.retention = new MetricsRetention(deps.repo, {
      now: this.now,
      rawRetentionMs: options.rawRetentionMs ?? day,
      rollupRetentionMs: options.rollupRetentionMs ?? 30 * day,
      batchRows: options.pruneBatchRows ?? 500,
      rollupChunkMinutes: 60,
    });
    this.maintenanceTimer = setInterval(() => void this.maintain(), options.maintenanceIntervalMs ?? 60_000);
    this.maintenanceTimer.unref();
    this.unsubscribe = deps.events.on('terminal.updated', (info) => {
      if (info.status === 'running') this.wake();
      // A step that ends stops waiting now, not at the next tick.
      else if (this.waiting.has(info.id)) this.stopWaiting(info.id);
    });
    // An engine that starts with runs to resume or terminals to watch (none today) samples at once.
    if (deps.activeRuns() > 0 || deps.terminals.list().some((t) => t.status === 'running')) this.wake();
  }

  get sampling(): boolean {
    return this.timer !== undefined;
  }

  async snapshot(): Promise<MetricsSnapshot> {
    if (this.timer) {
      // Sampling out of turn would shorten the next tick's CPU window: wait for the first tick instead.
      if (!this.latest) await this.tick();
      if (this.latest) return this.latest;
    }
    return (await this.sample()).snapshot;
  }

  series(query: SeriesQuery): MetricSeries {
    return buildSeries(this.deps.repo, query);
  }

  async exportAll(): Promise<MetricsExport> {
    const snapshot = await this.snapshot();
    return { snapshot, totals: metricsTotals(this.deps.repo, this.now()) };
  }

  maintain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.retention.run().catch((error: unknown) => {
      // Refused by SQLite (a full disk, the lock held too long): the sampler says once that the history is not kept; the next pass prunes.
      if (!isWriteRefusal(error)) console.error('photon: pruning metrics failed:', error);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.maintenanceTimer);
    await Promise.all([this.ticking, this.retention.stop()]);
  }

  private wake(): void {
    if (this.timer || this.closed) return;
    this.latest = undefined;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    // Never what keeps a host alive: the CLI exits when its run ends.
    this.timer.unref();
    // A first sample right away, so even a short attempt gets its peaks.
    setImmediate(() => void this.tick());
  }

  private tick(): Promise<void> {
    this.ticking ??= this.tickOnce().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async tickOnce(): Promise<void> {
    if (this.closed) return;
    try {
      const { snapshot, samples, peaks, idle } = await this.sample();
      if (this.closed) return;
      this.record(samples, peaks);
      this.latest = snapshot;
      this.deps.events.emit('metrics.tick', snapshot);
      this.announceWaiting(snapshot);
      if (idle) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } catch (error) {
      console.error('photon: sampling metrics failed:', error);
    }
  }

  /**
   * A sample SQLite refuses (a full disk) is lost, not the live view: said once until one is
   * stored again, not every second with a stack trace.
   */
  private record(samples: readonly MetricSampleRow[], peaks: readonly AttemptPeak[]): void {
    try {
      this.deps.repo.recordTick(samples, peaks);
      this.unstored = false;
    } catch (error) {
      if (!isWriteRefusal(error)) throw error;
      if (!this.unstored) console.error(`photon: metrics are shown but not kept in the history until it can be written: ${error instanceof Error ? error.message : String(error)}`);
      this.unstored = true;
    }
  }

  /** Measures everything once; what to store and whether all is idle come with it. */
  private async sample(): Promise<{ snapshot: MetricsSnapshot; samples: MetricSampleRow[]; peaks: AttemptPeak[]; idle: boolean }> {
    const live = this.liveTerminals();
    // The hosts are asked while /proc is read here: a tick waits for the slower, not for both.
    const [table, remote] = await Promise.all([this.readTable(live.map((t) => t.info.pid)), this.readRemote()]);
    const at = this.now();
    const measured = table ? this.trees.measure(table, live.map((t) => ({ id: t.info.id, pid: t.info.pid }))) : new Map();
    const machine = this.host.machine();
    const engine = this.host.engine();

    const processes: ProcessTreeSample[] = [];
    const agents = new Map<string, AgentResourceSample>();
    const peaks: AttemptPeak[] = [];
    const busy = new Set<string>();
    for (const { info, labels } of live) {
      const owner = info.owner && labels ? { ...info.owner, agentId: labels.agentId, platform: labels.platform, agent: labels.agentId ?? labels.platform } : null;
      if (owner && !(owner.agentId === null && owner.platform === 'shell')) busy.add(owner.agent);
      const away = remote.get(info.id);
      // A remote step's local tree is its ssh client: its numbers are the host's or none this tick.
      const tree = remote.has(info.id) ? (away ? { ...away, members: [] } : undefined) : measured.get(info.id);
      if (!tree) continue;
      const blocked = this.processSampling === 'proc' && blockedOnTerminalRead(tree.members);
      const cpuPercent = round1(tree.cpuPercent);
      processes.push({
        terminalId: info.id,
        cpuPercent,
        rssBytes: tree.rssBytes,
        processes: tree.processes,
        owner,
        waitingForInput: this.waits.update(info.id, blocked, at),
        foregroundProgram: this.processSampling === 'proc' ? foregroundProgram(tree.members) : null,
        ...(away ? { host: away.host } : {}),
      });
      if (!owner) continue;
      const total = agents.get(owner.agent) ?? { agent: owner.agent, cpuPercent: 0, rssBytes: 0, steps: 0 };
      total.cpuPercent = round1(total.cpuPercent + cpuPercent);
      total.rssBytes += tree.rssBytes;
      total.steps++;
      if (away && !total.hosts?.includes(away.host)) total.hosts = [...(total.hosts ?? []), away.host].sort();
      agents.set(owner.agent, total);
      const key = `${owner.runId}:${owner.step}:${owner.attempt}`;
      const peak = this.peaks.get(key);
      if (!peak || cpuPercent > peak.cpuPercent || tree.rssBytes > peak.rssBytes) {
        const next = { cpuPercent: Math.max(cpuPercent, peak?.cpuPercent ?? 0), rssBytes: Math.max(tree.rssBytes, peak?.rssBytes ?? 0) };
        this.peaks.set(key, next);
        peaks.push({ runId: owner.runId, step: owner.step, attempt: owner.attempt, ...next });
      }
    }
    this.forgetGone(live);

    const midnight = new Date(at);
    midnight.setHours(0, 0, 0, 0);
    const today = this.deps.repo.today(midnight.toISOString());
    const ended = today.runsSucceeded + today.runsFailed;
    const stepTerminals = live.filter((t) => t.info.owner !== null);
    const activeRuns = this.deps.activeRuns();
    const snapshot: MetricsSnapshot = {
      at: new Date(at).toISOString(),
      sampling: this.processSampling,
      waitingDetection: this.processSampling === 'proc',
      machine: { ...machine, cpuPercent: round1(machine.cpuPercent) },
      engine: { cpuPercent: round1(engine.cpuPercent), rssBytes: engine.rssBytes },
      active: {
        runs: activeRuns,
        steps: stepTerminals.length,
        terminals: live.length,
        agentsBusy: busy.size,
        stepsWaitingForInput: processes.filter((p) => p.owner && p.waitingForInput).length,
      },
      today: { ...today, successRate: ended === 0 ? null : today.runsSucceeded / ended },
      processes,
      agents: [...agents.values()].sort((a, b) => a.agent.localeCompare(b.agent)),
    };

    const samples: MetricSampleRow[] = [
      { metric: 'machine.cpu', at, label: '', value: snapshot.machine.cpuPercent },
      { metric: 'machine.memory', at, label: '', value: machine.memoryUsedBytes },
      { metric: 'engine.cpu', at, label: '', value: snapshot.engine.cpuPercent },
      { metric: 'engine.memory', at, label: '', value: engine.rssBytes },
    ];
    if (machine.load) samples.push({ metric: 'machine.load', at, label: '', value: machine.load[0] });
    for (const agent of snapshot.agents) {
      samples.push({ metric: 'agent.cpu', at, label: agent.agent, value: agent.cpuPercent }, { metric: 'agent.memory', at, label: agent.agent, value: agent.rssBytes });
    }
    return { snapshot, samples, peaks, idle: live.length === 0 && activeRuns === 0 };
  }

  /** The processes of the trees under `roots` (ps lists them all); none when there is none. */
  private async readTable(roots: readonly number[]): Promise<ProcessTable | undefined> {
    if (roots.length === 0 || this.processSampling === 'unavailable') return undefined;
    if (this.processSampling === 'proc') return readProcTrees(this.pageSize, roots) ?? readProcTable(this.pageSize);
    try {
      return await readPsTable();
    } catch (error) {
      console.error(`photon: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async readRemote(): Promise<ReadonlyMap<string, { host: string; cpuPercent: number; rssBytes: number; processes: number } | null>> {
    // No remote step running: no command is sent to any host.
    if (!this.deps.remote?.active) return new Map();
    try {
      return await this.deps.remote.sample();
    } catch (error) {
      console.error(`photon: sampling remote hosts failed: ${error instanceof Error ? error.message : String(error)}`);
      return new Map();
    }
  }

  private liveTerminals(): LiveTerminal[] {
    const live: LiveTerminal[] = [];
    for (const info of this.deps.terminals.list()) {
      if (info.status !== 'running' || info.pid === null) continue;
      live.push({ info: info as LiveTerminal['info'], labels: info.owner ? this.labelsOf(info.id, info.owner) : undefined });
    }
    return live;
  }

  /** A step terminal's labels, read once its attempt is written (they never change after). */
  private labelsOf(id: string, owner: NonNullable<TerminalInfo['owner']>): AttemptLabels | undefined {
    const known = this.labels.get(id);
    if (known) return known;
    const labels = this.deps.repo.attemptLabels(owner.runId, owner.step, owner.attempt);
    if (labels?.recorded) this.labels.set(id, labels);
    return labels;
  }

  private forgetGone(live: readonly LiveTerminal[]): void {
    const ids = new Set(live.map((t) => t.info.id));
    const attempts = new Set(live.flatMap((t) => (t.info.owner ? [`${t.info.owner.runId}:${t.info.owner.step}:${t.info.owner.attempt}`] : [])));
    for (const id of this.labels.keys()) if (!ids.has(id)) this.labels.delete(id);
    for (const key of this.peaks.keys()) if (!attempts.has(key)) this.peaks.delete(key);
    this.waits.keepOnly(ids);
  }

  private stopWaiting(terminalId: string): void {
    const owner = this.waiting.get(terminalId);
    if (!owner) return;
    this.waiting.delete(terminalId);
    this.deps.events.emit('step.waiting', { runId: owner.runId, step: owner.step, attempt: owner.attempt, terminalId, waiting: false });
  }

  private announceWaiting(snapshot: MetricsSnapshot): void {
    const now = new Map<string, NonNullable<TerminalInfo['owner']>>();
    for (const p of snapshot.processes) if (p.owner && p.waitingForInput) now.set(p.terminalId, p.owner);
    for (const terminalId of this.waiting.keys()) if (!now.has(terminalId)) this.stopWaiting(terminalId);
    for (const [terminalId, owner] of now) {
      if (this.waiting.has(terminalId)) continue;
      this.waiting.set(terminalId, owner);
      this.deps.events.emit('step.waiting', { runId: owner.runId, step: owner.step, attempt: owner.attempt, terminalId, waiting: true });
    }
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
