/**
 * CPU and memory of the steps running on remote hosts, for the metrics sampler. Once per sampling
 * interval, each host with a running remote attempt gets one short command over its shared
 * connection: it reads the host's /proc for the processes whose environment carries an attempt's
 * PHOTON_HOST_MARK (as the stopper finds them, so processes that left the session count too) and
 * prints their CPU ticks and resident pages with the host's clock. A host that does not answer in
 * time is left out of that tick; the step itself never hears of it.
 */
import type { HostConnection } from './connection.js';
import { parseSample, sampleCommand, type HostSample } from './sample-command.js';

/** One remote attempt's numbers, keyed by its local terminal in what `sample` returns. */
export interface RemoteTreeMeasure {
  host: string;
  /** Percent of one of the host's cores since the previous sample (0 until the attempt has lived one window). */
  cpuPercent: number;
  rssBytes: number;
  processes: number;
}

interface Tracked {
  host: string;
  mark: string;
  connection: HostConnection;
}

export class RemoteMetrics {
  private readonly tracked = new Map<string, Tracked>();
  /** Each mark's tick count and the host's clock (in ticks) at its previous sample. */
  private readonly last = new Map<string, { ticks: number; uptimeTicks: number }>();

  /**
   * @param windowMs the sampling interval: the shortest span a CPU figure covers, as locally.
   * @param timeoutMs how long one host's sample may take before that tick goes without it.
   */
  constructor(
    private readonly windowMs = 1000,
    private readonly timeoutMs = 5000,
  ) {}

  /** A remote attempt's terminal is running: sample its mark on its host until `untrack`. */
  track(terminalId: string, host: string, mark: string, connection: HostConnection): void {
    this.tracked.set(terminalId, { host, mark, connection });
  }

  untrack(terminalId: string): void {
    const gone = this.tracked.get(terminalId);
    this.tracked.delete(terminalId);
    if (gone) this.last.delete(gone.mark);
  }

  /** Whether any remote attempt runs: the metrics sampler keeps ticking while one does. */
  get active(): boolean {
    return this.tracked.size > 0;
  }

  /**
   * One sample of every host with running attempts, in parallel. The map holds every tracked
   * terminal: its numbers, or null when its host's sample failed this time (connection lost,
   * too slow, no /proc there).
   */
  async sample(): Promise<Map<string, RemoteTreeMeasure | null>> {
    const byHost = new Map<string, { connection: HostConnection; terminals: [string, Tracked][] }>();
    for (const entry of this.tracked) {
      const group = byHost.get(entry[1].host) ?? { connection: entry[1].connection, terminals: [] };
      group.terminals.push(entry);
      byHost.set(entry[1].host, group);
    }
    const result = new Map<string, RemoteTreeMeasure | null>();
    await Promise.all(
      [...byHost].map(async ([host, { connection, terminals }]) => {
        const sample = await this.sampleHost(connection, terminals.map(([, t]) => t.mark));
        for (const [terminalId, { mark }] of terminals) {
          // Untracked while the command ran: the step ended, and its numbers would outlive it.
          if (!this.tracked.has(terminalId)) continue;
          result.set(terminalId, sample ? this.measure(host, mark, sample) : null);
        }
      }),
    );
    return result;
  }

  private async sampleHost(connection: HostConnection, marks: readonly string[]): Promise<HostSample | null> {
    try {
      let timer: NodeJS.Timeout | undefined;
      // Bounded as a whole: remaking a lost connection can take longer than the run's own timeout.
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timeoutMs)));
      const ran = await Promise.race([connection.run(sampleCommand(marks), { timeoutMs: this.timeoutMs }), late]).finally(() => clearTimeout(timer));
      if (!ran || ran.code !== 0) return null;
      return parseSample(ran.stdout);
    } catch {
      return null;
    }
  }

  /**
   * As the local sampler: the growth of the attempt's tick count over the host's clock. A mark seen
   * for the first time counts from its oldest process's start, but only once that lies a whole
   * window back; a younger attempt reads 0 and the next sample covers its whole life.
   */
  private measure(host: string, mark: string, sample: HostSample): RemoteTreeMeasure {
    const members = sample.processes.filter((p) => p.mark === mark);
    const ticks = members.reduce((sum, p) => sum + p.cpuTicks, 0);
    const rssBytes = members.reduce((sum, p) => sum + p.rssPages * sample.pageSize, 0);
    const measure = { host, rssBytes, processes: members.length };
    let before = this.last.get(mark);
    if (!before) {
      if (members.length === 0) return { ...measure, cpuPercent: 0 };
      before = { ticks: 0, uptimeTicks: Math.min(...members.map((p) => p.startTicks)) };
      const windowTicks = (this.windowMs / 1000) * sample.ticksPerSecond;
      if (sample.uptimeTicks - before.uptimeTicks < windowTicks) {
        this.last.set(mark, before);
        return { ...measure, cpuPercent: 0 };
      }
    }
    this.last.set(mark, { ticks, uptimeTicks: sample.uptimeTicks });
    const elapsed = sample.uptimeTicks - before.uptimeTicks;
    // A process that exited takes its ticks with it: never below zero.
    const cpuPercent = elapsed <= 0 ? 0 : (Math.max(0, ticks - before.ticks) / elapsed) * 100;
    return { ...measure, cpuPercent };
  }
}
