import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { MachineSample } from '../../../shared/metrics.js';

interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * The machine's and the engine's own numbers. CPU figures are shares of the time since the
 * previous sample (since construction for the first), so the caller decides the window.
 */
export class HostSampler {
  private readonly linux = process.platform === 'linux';
  private readonly cpuCount = cpus().length || 1;
  private machineBefore: CpuTimes;
  private engineBefore = { usage: process.cpuUsage(), at: process.hrtime.bigint() };

  constructor() {
    this.machineBefore = this.machineTimes();
  }

  machine(): MachineSample {
    const now = this.machineTimes();
    const total = now.total - this.machineBefore.total;
    const cpuPercent = total > 0 ? Math.min(100, Math.max(0, ((now.busy - this.machineBefore.busy) / total) * 100)) : 0;
    this.machineBefore = now;
    const memoryTotalBytes = totalmem();
    const available = this.linux ? linuxAvailableMemory() : undefined;
    return {
      cpuPercent,
      cpus: this.cpuCount,
      memoryUsedBytes: memoryTotalBytes - (available ?? freemem()),
      memoryTotalBytes,
      // Windows has no load average; node answers zeros there, which would read as an idle machine.
      load: process.platform === 'win32' ? null : (loadavg() as [number, number, number]),
    };
  }

  /** This process: CPU in percent of one core since the previous call, resident bytes now. */
  engine(): { cpuPercent: number; rssBytes: number } {
    const at = process.hrtime.bigint();
    const usage = process.cpuUsage();
    const elapsedMicros = Number(at - this.engineBefore.at) / 1000;
    const usedMicros = usage.user - this.engineBefore.usage.user + (usage.system - this.engineBefore.usage.system);
    this.engineBefore = { usage, at };
    return { cpuPercent: elapsedMicros > 0 ? (usedMicros / elapsedMicros) * 100 : 0, rssBytes: process.memoryUsage.rss() };
  }

  private machineTimes(): CpuTimes {
    if (this.linux) {
      const times = linuxCpuTimes();
      if (times) return times;
    }
    let busy = 0;
    let total = 0;
    for (const { times } of cpus()) {
      busy += times.user + times.nice + times.sys + times.irq;
      total += times.user + times.nice + times.sys + times.irq + times.idle;
    }
    return { busy, total };
  }
}

/** The first line of /proc/stat: one read instead of os.cpus(), which also reads every core's frequency. */
function linuxCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'latin1').slice(0, 256).split('\n')[0]!;
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
  } catch {
    return undefined;
  }
}

/** MemAvailable: what could be handed out without swapping. os.freemem() counts the page cache as used. */
function linuxAvailableMemory(): number | undefined {
  try {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'latin1'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
