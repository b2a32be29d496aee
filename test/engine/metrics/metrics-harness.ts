/**
 * The sampler on real parts without a whole engine: real pseudo-terminals running real processes,
 * a real SQLite file, the engine's event bus. Ticks are collected as the dashboard would see them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventBus, type EventBus } from '../../../electron/engine/events/index.js';
import { createMetricsService, type MetricsOptions, type MetricsService } from '../../../electron/engine/metrics/index.js';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';
import { TerminalManager, type TerminalHandle } from '../../../electron/engine/terminals/index.js';
import type { MetricsSnapshot, ProcessTreeSample } from '../../../shared/metrics.js';
import { makeTempDir, removeDir, waitUntil } from '../helpers.js';

export interface MetricsHarness {
  dir: string;
  storage: Storage;
  events: EventBus;
  terminals: TerminalManager;
  metrics: MetricsService;
  ticks: MetricsSnapshot[];
  /** A terminal running `command` under /bin/sh, once its process runs (its pid known). */
  spawn(command: string): Promise<TerminalHandle>;
  /** The tree samples of one terminal, tick by tick, from the `from`th tick on. */
  samplesOf(terminalId: string, from?: number): ProcessTreeSample[];
  /** Resolves once `count` more ticks than now have arrived. */
  moreTicks(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function startHarness(options: MetricsOptions = {}): MetricsHarness {
  const dir = makeTempDir('metrics');
  const storage = openStorage(join(dir, 'data'));
  const events = createEventBus();
  const terminals = new TerminalManager({ data: () => undefined, updated: (info) => events.emit('terminal.updated', info) });
  const metrics = createMetricsService({ repo: storage.metrics, events, terminals, activeRuns: () => 0 }, { sampleIntervalMs: 250, ...options });
  const ticks: MetricsSnapshot[] = [];
  events.on('metrics.tick', (snapshot) => ticks.push(snapshot));
  return {
    dir,
    storage,
    events,
    terminals,
    metrics,
    ticks,
    async spawn(command) {
      const terminal = terminals.create({ file: '/bin/sh', args: ['-c', command], cwd: dir, env: process.env as Record<string, string>, title: command, command });
      await terminal.started;
      return terminal;
    },
    samplesOf: (terminalId, from = 0) => ticks.slice(from).flatMap((tick) => tick.processes.filter((p) => p.terminalId === terminalId)),
    async moreTicks(count, timeoutMs = 15_000) {
      const target = ticks.length + count;
      await waitUntil(() => ticks.length >= target, `${count} more metrics ticks`, timeoutMs);
    },
    async close() {
      await terminals.killAll();
      await metrics.close();
      storage.close();
      removeDir(dir);
    },
  };
}

/** CPU seconds the kernel has charged a process (utime + stime), and its start in ticks since boot. */
export function kernelCpu(pid: number): { seconds: number; startTicks: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { seconds: (Number(fields[11]) + Number(fields[12])) / 100, startTicks: Number(fields[19]) };
}

/** When a process started, in epoch milliseconds, from its start in ticks since boot. */
export function startedAtMs(startTicks: number): number {
  const uptimeSeconds = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  return Date.now() - (uptimeSeconds * 1000 - startTicks * 10);
}

/** A node process that holds `megabytes` of touched memory until it is killed. */
export function allocating(megabytes: number): string {
  return `node -e "const held = Buffer.alloc(${megabytes}e6, 1); setInterval(() => held[0]++, 1000)"`;
}

export const busyLoop = 'while :; do :; done';
