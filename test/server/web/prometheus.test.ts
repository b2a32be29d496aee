/**
 * `GET /metrics` on real loopback, read by a real parser of the Prometheus text format: live
 * gauges while a run goes, all-time counters once runs end (a Claude Code stand-in reports its
 * real cost and token output), and the token required like on every other request.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../electron/server/web/index.js';
import { removeDir } from '../../engine/helpers.js';
import { createStandInSandbox, type StandInSandbox } from '../../engine/agents/stand-in-engine.js';
import { bearer, get, writeStaticDir } from './helpers.js';

interface MetricFamily {
  name: string;
  help: string;
  type: 'GAUGE' | 'COUNTER' | 'SUMMARY' | 'HISTOGRAM' | 'UNTYPED';
  metrics: { value?: string; labels?: Record<string, string>; quantiles?: Record<string, string>; count?: string; sum?: string }[];
}
// The parser ships CommonJS without types.
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

let sandbox: StandInSandbox;
let server: WebServer;

beforeAll(async () => {
  sandbox = await createStandInSandbox('prometheus', { tools: ['claude'], env: { PHOTON_STANDIN_LOGGED_IN: '1' }, engine: { metrics: { sampleIntervalMs: 250 } } });
  const staticDir = join(sandbox.root, 'static');
  writeStaticDir(staticDir);
  server = await startWebServer({ engine: sandbox.engine, port: 0, dataDir: sandbox.dataDir, staticDir });
});

afterAll(async () => {
  await server.close();
  await sandbox.engine.close();
  removeDir(sandbox.root);
});

async function scrape(): Promise<Map<string, MetricFamily>> {
  const answer = await get(server.port, '/metrics', { headers: bearer(server.token) });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const families = parsePrometheus(answer.body);
  // Every family says what it is.
  for (const family of families) {
    expect(family.help, family.name).not.toBe('');
    expect(family.type, family.name).not.toBe('UNTYPED');
  }
  return new Map(families.map((family) => [family.name, family]));
}

async function scrapeText(): Promise<string> {
  return (await get(server.port, '/metrics', { headers: bearer(server.token) })).body;
}

/**
 * One labelled series of a summary. The parser merges a summary's series into one and drops
 * labelled `_sum` and `_count` lines, so each series is handed to it alone, its other labels
 * taken off: what remains is the plain summary the parser reads whole.
 */
function summaryOf(text: string, name: string, labels: Record<string, string>): MetricFamily['metrics'][number] {
  const own = Object.entries(labels).map(([key, value]) => `${key}="${value}"`).join(',');
  const lines = text.split('\n').filter((line) => line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `) || line.startsWith(`${name}{${own}`) || line.startsWith(`${name}_sum{${own}}`) || line.startsWith(`${name}_count{${own}}`));
  const plain = lines.map((line) => line.replace(`{${own},`, '{').replace(`{${own}}`, ''));
  const [family] = parsePrometheus(`${plain.join('\n')}\n`);
  expect(family?.metrics).toHaveLength(1);
  return family!.metrics[0]!;
}

function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name);
  const found = family?.metrics.find((m) => Object.entries(labels).every(([key, value]) => m.labels?.[key] === value) && Object.keys(m.labels ?? {}).length === Object.keys(labels).length);
  return found?.value === undefined ? undefined : Number(found.value);
}

describe('GET /metrics', () => {
  it('needs the token like every other request, and takes it as a scraper sends it', async () => {
    expect((await get(server.port, '/metrics')).status).toBe(401);
    expect((await get(server.port, '/metrics', { headers: bearer('f'.repeat(64)) })).status).toBe(401);
    expect((await get(server.port, '/metrics', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    // A scraper keeps no cookie: the token in the query is served as it is, not traded for one.
    const viaQuery = await get(server.port, `/metrics?token=${server.token}`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.headers['set-cookie']).toBeUndefined();
    expect(parsePrometheus(viaQuery.body).length).toBeGreaterThan(10);
  });

  it('shows what runs now while a run goes', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: { name: 'live', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'sleep 3' }, dependencies: [] }] },
      baseDir: sandbox.work,
    });
    // A process caught in exec has no memory mapped yet (the kernel reads 0 for that instant), and
    // the gauges are the latest tick's: wait for a tick that shows the step's process as it runs.
    const shown = (f: Map<string, MetricFamily>) => valueOf(f, 'photon_steps_running') === 1 && (process.platform !== 'linux' || valueOf(f, 'photon_agent_resident_memory_bytes', { agent: 'shell' })! > 0);
    const live = await scrapeUntil(shown, "the step's process");
    expect(valueOf(live, 'photon_runs_running')).toBe(1);
    expect(valueOf(live, 'photon_steps_running')).toBe(1);
    expect(valueOf(live, 'photon_terminals_live')).toBe(1);
    expect(valueOf(live, 'photon_machine_cpus')).toBe(cpus().length);
    expect(valueOf(live, 'photon_engine_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    if (process.platform === 'linux') {
      expect(valueOf(live, 'photon_agent_resident_memory_bytes', { agent: 'shell' })).toBeGreaterThan(0);
      expect(valueOf(live, 'photon_agent_cpu_percent', { agent: 'shell' })).toBeGreaterThanOrEqual(0);
      expect(valueOf(live, 'photon_machine_load1')).toBeGreaterThanOrEqual(0);
    }
    // The gauges are the latest sample's: the one after the run ended says so.
    const ended = new Promise<void>((resolve) => {
      const stop = sandbox.engine.on('metrics.tick', (tick) => {
        if (tick.active.runs === 0) resolve(stop());
      });
    });
    await sandbox.engine.call('runs.cancel', { runId });
    await ended;
    const after = await scrape();
    expect(valueOf(after, 'photon_runs_running')).toBe(0);
    expect(valueOf(after, 'photon_runs_total', { status: 'cancelled', workflow: 'live' })).toBe(1);
  });

  it('counts runs, steps, retries, cost, tokens and durations from the runs kept', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: {
        name: 'nightly "review"',
        workflow: [
          { step: 1, platform: 'claude-code', inputs: { prompt: 'Review the diff' }, dependencies: [] },
          { step: 2, platform: 'shell', inputs: { command: 'exit 4' }, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 }, dependencies: [] },
        ],
      },
      baseDir: sandbox.work,
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const families = await scrape();
    const workflow = 'nightly "review"';

    expect(families.get('photon_runs_total')!.type).toBe('COUNTER');
    expect(valueOf(families, 'photon_runs_total', { status: 'failed', workflow })).toBe(1);
    expect(valueOf(families, 'photon_steps_total', { agent: 'claude-code', status: 'succeeded', tool: 'claude-code' })).toBe(1);
    expect(valueOf(families, 'photon_steps_total', { agent: 'shell', status: 'failed', tool: 'shell' })).toBe(1);
    expect(valueOf(families, 'photon_step_retries_total', { agent: 'shell', tool: 'shell', workflow })).toBe(1);
    // What the Claude Code stand-in printed, as the real CLI prints it: cost and tokens (cache included).
    expect(valueOf(families, 'photon_cost_usd_total', { agent: 'claude-code', tool: 'claude-code', workflow })).toBeCloseTo(0.0123, 10);
    expect(valueOf(families, 'photon_tokens_total', { agent: 'claude-code', direction: 'input', tool: 'claude-code', workflow })).toBe(2250);
    expect(valueOf(families, 'photon_tokens_total', { agent: 'claude-code', direction: 'output', tool: 'claude-code', workflow })).toBe(350);
    // Of the input, what was read from and written to the prompt cache (800 and 100, the session-title request having none).
    expect(valueOf(families, 'photon_tokens_total', { agent: 'claude-code', direction: 'cache_read', tool: 'claude-code', workflow })).toBe(800);
    expect(valueOf(families, 'photon_tokens_total', { agent: 'claude-code', direction: 'cache_write', tool: 'claude-code', workflow })).toBe(100);

    expect(families.get('photon_step_duration_seconds')!.type).toBe('SUMMARY');
    const shell = summaryOf(await scrapeText(), 'photon_step_duration_seconds', { tool: 'shell' });
    // Two failed attempts of the shell step here; the cancelled `sleep` of the test before does not count.
    expect(Number(shell.count)).toBe(2);
    expect(Object.keys(shell.quantiles!).sort()).toEqual(['0.5', '0.9', '0.99']);
    expect(Number(shell.sum)).toBeGreaterThan(0);
    expect(Number(shell.quantiles!['0.99'])).toBeGreaterThanOrEqual(Number(shell.quantiles!['0.5']));
    expect(Number(summaryOf(await scrapeText(), 'photon_step_duration_seconds', { tool: 'claude-code' }).count)).toBe(1);
  });

  it('counts the steps waiting for input and the distinct agents busy, live', async () => {
    await sandbox.engine.call('agents.save', { agent: { id: 'asker', name: 'Asker', tool: 'shell', maxConcurrentSteps: 2 } });
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: {
        name: 'asks',
        workflow: [
          { step: 1, agent: 'asker', platform: 'shell', inputs: { command: 'read -r answer; echo "got $answer"; sleep 30' }, dependencies: [] },
          { step: 2, agent: 'asker', platform: 'shell', inputs: { command: 'sleep 30' }, dependencies: [] },
          // A shell step with default settings is no agent.
          { step: 3, platform: 'shell', inputs: { command: 'sleep 30' }, dependencies: [] },
        ],
      },
      baseDir: sandbox.work,
      concurrency: 3,
    });
    try {
      const live = await scrapeUntil((f) => valueOf(f, 'photon_steps_running') === 3 && valueOf(f, 'photon_steps_waiting_for_input') === 1, 'three steps running, one of them waiting for input');
      // Two steps of one agent are one agent busy.
      expect(valueOf(live, 'photon_agents_busy')).toBe(1);
      if (process.platform === 'linux') expect(valueOf(live, 'photon_agent_resident_memory_bytes', { agent: 'asker' })).toBeGreaterThan(0);

      // Answered, it no longer waits.
      const terminal = await sandbox.engine.call('terminals.forStep', { runId, step: 1 });
      await sandbox.engine.call('terminals.write', { id: terminal!.id, data: 'yes\r' });
      await scrapeUntil((f) => valueOf(f, 'photon_steps_waiting_for_input') === 0, 'the step to stop waiting');
    } finally {
      await sandbox.engine.call('runs.cancel', { runId });
      await sandbox.engine.waitForRun(runId);
    }
    await scrapeUntil((f) => valueOf(f, 'photon_agents_busy') === 0 && valueOf(f, 'photon_steps_running') === 0, 'nothing busy once the run is cancelled');
  }, 60_000);

  it('counts each attempt its timeout stopped', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: { name: 'too slow', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'sleep 30' }, timeout: 1000, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 }, dependencies: [] }] },
      baseDir: sandbox.work,
    });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const families = await scrape();
    expect(families.get('photon_step_timeouts_total')!.type).toBe('COUNTER');
    expect(valueOf(families, 'photon_step_timeouts_total', { agent: 'shell', tool: 'shell', workflow: 'too slow' })).toBe(2);
    expect(valueOf(families, 'photon_steps_total', { agent: 'shell', status: 'timed_out', tool: 'shell' })).toBe(1);
  }, 60_000);

  it("reports the machine's and the engine's numbers as the OS has them", async () => {
    const families = await scrape();
    const total = valueOf(families, 'photon_machine_memory_total_bytes')!;
    expect(total).toBe(totalmem());
    const used = valueOf(families, 'photon_machine_memory_used_bytes')!;
    if (process.platform === 'linux') {
      // Total less MemAvailable, read here a moment later: other processes move it, never by a tenth of the machine.
      const available = Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'latin1'))![1]) * 1024;
      expect(Math.abs(used - (total - available))).toBeLessThan(total / 10);
    } else {
      expect(used).toBeGreaterThan(0);
      expect(used).toBeLessThan(total);
    }
    const machineCpu = valueOf(families, 'photon_machine_cpu_percent')!;
    expect(machineCpu).toBeGreaterThanOrEqual(0);
    expect(machineCpu).toBeLessThanOrEqual(100);
    // The engine runs in this test's process: its memory is what Node reports for it.
    const engineRss = valueOf(families, 'photon_engine_resident_memory_bytes')!;
    expect(Math.abs(engineRss - process.memoryUsage.rss())).toBeLessThan(100 * 1024 * 1024);
    const engineCpu = valueOf(families, 'photon_engine_cpu_percent')!;
    expect(engineCpu).toBeGreaterThanOrEqual(0);
    expect(engineCpu).toBeLessThanOrEqual(100 * cpus().length);
    if (process.platform !== 'win32') {
      // The 1, 5 and 15 minute averages in that order: each within a load of one of the kernel's now.
      const now = loadavg();
      const load = ['photon_machine_load1', 'photon_machine_load5', 'photon_machine_load15'].map((name) => valueOf(families, name)!);
      load.forEach((value, i) => expect(Math.abs(value - now[i]!), `load ${[1, 5, 15][i]}: ${value} against ${now[i]}`).toBeLessThan(1 + now[i]! / 4));
    }
  });
});

/** Scrapes until `check` holds for the families scraped (the gauges follow the sampler's ticks). */
async function scrapeUntil(check: (families: Map<string, MetricFamily>) => boolean, what: string, timeoutMs = 20_000): Promise<Map<string, MetricFamily>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const families = await scrape();
    if (check(families)) return families;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on /metrics`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
