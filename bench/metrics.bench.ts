/**
 * `npx tsx bench/metrics.bench.ts`: what live metrics cost. An engine in this process runs a
 * workflow of 50 shell steps at once, each `while sleep 0.1; do :; done` (50 live terminals, 100
 * processes, a light steady load), and for each repetition measures over the same window:
 *   - the engine process's CPU (process.cpuUsage over wall time, in percent of one core) with the
 *     sampler on (once a second) and off (its interval set beyond the window), alternating;
 *   - the event stream to the renderer: bytes per second of `metrics.tick` and `step.waiting`
 *     envelopes serialised as the hosts send them (JSON), against a budget;
 *   - the samples written to SQLite per tick, and one /proc scan of every process on the machine.
 * Medians of the repetitions are printed and written to bench/results/. Not a test.
 *
 * Budgets: event stream < 20 KB/s with 50 terminals; sampler overhead < 5 % of one core.
 * Options: --reps N (default 3), --seconds N (window per measurement, default 10), --steps N (default 50).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createEngine, type Engine } from '../electron/engine/index.js';
import { readProcTable } from '../electron/engine/metrics/process-table.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    steps: { type: 'string', default: '50' },
  },
});
const reps = Number(values.reps);
const windowMs = Number(values.seconds) * 1000;
const stepCount = Number(values.steps);
const budgets = { streamBytesPerSecond: 20 * 1024, overheadPercentOfCore: 5 };
const repoRoot = join(import.meta.dirname, '..');

interface Window {
  cpuPercent: number;
  streamBytesPerSecond: number;
  ticks: number;
  samplesWritten: number;
}

async function measure(sampling: boolean): Promise<Window> {
  const root = mkdtempSync(join(tmpdir(), 'photon-bench-metrics-'));
  const dataDir = join(root, 'data');
  mkdirSync(join(root, 'work'));
  // Off: the first tick when the terminals appear, then none inside the window.
  const engine: Engine = await createEngine({ dataDir, host: 'server', killGraceMs: 200, metrics: { sampleIntervalMs: sampling ? 1000 : 10 * windowMs + 60_000 } });
  let streamBytes = 0;
  let ticks = 0;
  let counting = false;
  // What a host does with every event: serialise the envelope for its wire.
  engine.onAny((envelope) => {
    const text = JSON.stringify(envelope);
    if (!counting) return;
    if (envelope.event === 'metrics.tick' || envelope.event === 'step.waiting') streamBytes += Buffer.byteLength(text);
    if (envelope.event === 'metrics.tick') ticks++;
  });
  const workflow = {
    name: 'fifty light steps',
    workflow: Array.from({ length: stepCount }, (_v, i) => ({ step: i + 1, platform: 'shell', inputs: { command: 'while sleep 0.1; do :; done' }, dependencies: [] })),
  };
  const { runId } = await engine.call('runs.start', { workflow, concurrency: stepCount, baseDir: join(root, 'work') });
  // Let every step start and the first ticks settle.
  await sleep(3000);
  const samplesBefore = countSamples(dataDir);
  counting = true;
  const usage = process.cpuUsage();
  const started = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(usage);
  const elapsed = performance.now() - started;
  counting = false;
  const samplesWritten = countSamples(dataDir) - samplesBefore;
  await engine.call('runs.cancel', { runId });
  await engine.close();
  rmSync(root, { recursive: true, force: true });
  return {
    cpuPercent: ((used.user + used.system) / 1000 / elapsed) * 100,
    streamBytesPerSecond: streamBytes / (elapsed / 1000),
    ticks,
    samplesWritten,
  };
}

function countSamples(dataDir: string): number {
  const db = new Database(join(dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM metric_samples').pluck().get() as number;
  } finally {
    db.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One read of every process on the machine, as each Linux tick does: wall and CPU time, medians of 20. */
function procScan(): { wallMs: number; cpuMs: number; processes: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let processes = 0;
  for (let i = 0; i < 20; i++) {
    const usage = process.cpuUsage();
    const started = performance.now();
    processes = readProcTable(4096).entries.size;
    wall.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu), processes };
}

const on: Window[] = [];
const off: Window[] = [];
console.log(`metrics bench: ${stepCount} steps, ${reps} reps of ${windowMs / 1000} s each way, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (let rep = 1; rep <= reps; rep++) {
  // Alternate which goes first, so a change in the machine's load falls on both.
  for (const sampling of rep % 2 ? [true, false] : [false, true]) {
    const result = await measure(sampling);
    (sampling ? on : off).push(result);
    console.log(
      `  rep ${rep} sampling ${sampling ? 'on ' : 'off'}: engine CPU ${result.cpuPercent.toFixed(2)} % of a core, ` +
        `stream ${(result.streamBytesPerSecond / 1024).toFixed(2)} KB/s over ${result.ticks} ticks, ${result.samplesWritten} samples written`,
    );
  }
}
const scan = process.platform === 'linux' ? procScan() : null;

const medians = {
  cpuOnPercent: median(on.map((r) => r.cpuPercent)),
  cpuOffPercent: median(off.map((r) => r.cpuPercent)),
  streamKBps: median(on.map((r) => r.streamBytesPerSecond)) / 1024,
  tickBytes: median(on.map((r) => r.streamBytesPerSecond / Math.max(1, r.ticks / (windowMs / 1000)))),
  samplesPerTick: median(on.map((r) => r.samplesWritten / Math.max(1, r.ticks))),
};
const overhead = medians.cpuOnPercent - medians.cpuOffPercent;
console.log('');
console.log(`engine CPU, median: sampling on ${medians.cpuOnPercent.toFixed(2)} %, off ${medians.cpuOffPercent.toFixed(2)} % of one core`);
console.log(
  `  sampler overhead ${overhead.toFixed(2)} % of one core (on/off ratio ${(medians.cpuOnPercent / Math.max(0.01, medians.cpuOffPercent)).toFixed(2)}); ` +
    `budget < ${budgets.overheadPercentOfCore} %: ${overhead < budgets.overheadPercentOfCore ? 'met' : 'NOT met'}`,
);
console.log(
  `event stream to the renderer, median: ${medians.streamKBps.toFixed(2)} KB/s (about ${(medians.tickBytes / 1024).toFixed(2)} KB a tick); ` +
    `budget < ${budgets.streamBytesPerSecond / 1024} KB/s: ${medians.streamKBps * 1024 < budgets.streamBytesPerSecond ? 'met' : 'NOT met'}`,
);
console.log(`samples written to SQLite: ${medians.samplesPerTick.toFixed(1)} rows a tick`);
if (scan) console.log(`one /proc scan of ${scan.processes} processes: ${scan.cpuMs.toFixed(2)} ms of CPU, ${scan.wallMs.toFixed(2)} ms of wall time (medians of 20)`);

const resultsDir = join(repoRoot, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `metrics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), steps: stepCount, windowMs, reps, on, off, medians, overhead, scan, budgets }, null, 2)}\n`);
console.log(`written to ${file.slice(repoRoot.length + 1)}`);
