/**
 * `npx tsx bench/rest-api.bench.ts [--rate 1000] [--seconds 10] [--streams 1000,10000] [--history 10000]
 * [--phases health,create,list,history,streams] [--busy N] [--connections 100] [--profile DIR]`: the REST
 * API against the specification's targets, on a real `photon serve` in a child process (its own
 * engine, SQLite in a temporary folder), driven the way a CI job would, with an API key of scope
 * `run` (`photon keys create`; the server runs with `--key-rate off`, since 1,000 req/s is past the
 * default 600/min a key may make).
 *
 *   1. autocannon holds `--rate` requests per second (overallRate, over 100 connections) for
 *      `--seconds` on GET /health, then POST /api/v1/operations (a one-step `true` workflow, so each
 *      request starts a real run; `--max-runs 8` queues the rest, as a server would), then
 *      GET /api/v1/operations (with the history the POSTs just made). p95 of every response's time,
 *      taken from autocannon's per-response event (its summary has p90 and p97.5, not p95).
 *   2. (history) GET /api/v1/operations over a long history: `--history` ended runs of 8 steps
 *      written into the database before the server starts (bench/lib/seed-history.ts): the first
 *      page, a page of 200, one status, and a page 9,000 runs deep, each at the same rate.
 *   3. N Server-Sent Event streams (GET /api/v1/events/stream?type=run.updated) held open (with
 *      --busy N, while N operations just posted run, 8 at a time, as after the load phases, every
 *      one of their run.updated going to every stream), then one operation started: the time from
 *      its POST until the last stream has its event, and how many streams the server ended with a
 *      `gap` for falling more than their send buffer behind (this client reads 10,000 sockets on the
 *      same 2 cores).
 *
 * The load generator shares the 2 cores with the server, so the rate achieved is printed beside the
 * rate asked. The server's RSS and CPU (utime + stime from /proc) are printed for each phase. The
 * printed result is also written to bench/results/rest-api-*.json. With `--profile DIR` the server
 * writes a V8 CPU profile of each load phase into DIR (<pid>-<n>.cpuprofile, in the phases' order),
 * for Chrome DevTools or `npx tsx bench/lib/profile-top.ts`. Not a test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { timeProcess } from './lib/measure.js';
import { fdLimits, openStreams, processUsage, type Usage } from './lib/rest-load.js';
import { seedHistory } from './lib/seed-history.js';

// Node cannot raise its own file-descriptor limit: when the soft one is below the hard one, this
// bench starts itself again under a shell that raises it, so the streams phase is bounded by the system.
const ownLimits = fdLimits();
if (ownLimits.soft < ownLimits.hard && process.env.PHOTON_BENCH_FD_RAISED !== '1') {
  const again = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$@"', 'rest-api-bench', process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PHOTON_BENCH_FD_RAISED: '1' },
  });
  process.exit(await new Promise<number>((resolve) => again.on('exit', (code) => resolve(code ?? 1))));
}

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    streams: { type: 'string', default: '1000,10000' },
    history: { type: 'string', default: '10000' },
    phases: { type: 'string', default: 'health,create,list,history,streams' },
    busy: { type: 'string', default: '0' },
    connections: { type: 'string', default: '100' },
    profile: { type: 'string' },
  },
});
const phases = new Set(values.phases.split(','));
const history = phases.has('history') ? Number(values.history) : 0;
const busy = Number(values.busy);
// Few connections at a low rate measure each request's own time on a machine too busy to sustain the target rate.
const connections = Number(values.connections);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const streamCounts = values.streams.split(',').map(Number);
const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin', 'photon.js');
const work = mkdtempSync(join(tmpdir(), 'photon-rest-bench-'));
const dataDir = join(work, 'data');

const made = await timeProcess(process.execPath, [bin, 'keys', 'create', 'bench', '--scope', 'run', '--data-dir', dataDir], { cwd: work });
if (made.code !== 0) throw new Error(`photon keys create failed: ${made.stderr}`);
const apiKey = made.stdout.trim();
if (history > 0) {
  const seeding = performance.now();
  seedHistory(dataDir, history);
  console.log(`${history} ended runs written to the history in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
}

// The server gets the hard file-descriptor limit as its soft one (a shell's `ulimit -n`), so the
// streams phase is bounded by what the system allows, not by a default of 1,024.
const limits = fdLimits();
// The profiler is preloaded (Node refuses --cpu-prof in NODE_OPTIONS) and started and stopped by
// SIGUSR2 around each load phase, so a profile holds that phase and nothing of the start-up.
const profileDir = values.profile === undefined ? undefined : resolvePath(values.profile);
const preload = pathToFileURL(join(root, 'bench', 'lib', 'cpu-profile-on-signal.mjs')).href;
const profileEnv = profileDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(), PHOTON_CPU_PROFILE_DIR: profileDir } : {};
const server = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$@"', 'photon-serve', process.execPath, bin, 'serve', '--port', '0', '--key-rate', 'off', '--max-runs', '8', '--data-dir', dataDir], {
  cwd: work,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, ...profileEnv },
});
let serverOut = '';
server.stdout.setEncoding('utf8').on('data', (chunk: string) => (serverOut += chunk));
server.stderr.setEncoding('utf8').on('data', (chunk: string) => (serverOut += chunk));
const port = await new Promise<number>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`photon serve did not start in 60 s:\n${serverOut}`)), 60_000);
  server.stdout.on('data', () => {
    const match = /Photon is running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(serverOut);
    if (match) {
      clearTimeout(timer);
      resolve(Number(match[1]));
    }
  });
  server.on('exit', (code) => reject(new Error(`photon serve exited (${code}):\n${serverOut}`)));
});
const serverPid = server.pid!;
const serverFdLimit = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${serverPid}/limits`, 'utf8'))?.[1];
const base = `http://127.0.0.1:${port}`;
const auth = { 'x-api-key': apiKey };
const oneStep = JSON.stringify({ name: 'bench', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }], baseDir: work });

interface LoadResult {
  endpoint: string;
  target: string;
  askedRate: number;
  achievedRate: number;
  responses: number;
  non2xx: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Requests that got no answer: connection errors and autocannon's timeouts (10 s). */
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  server: Usage;
}

async function load(endpoint: string, target: string, options: { path: string; method?: 'GET' | 'POST'; body?: string }): Promise<LoadResult> {
  const times: number[] = [];
  let non2xx = 0;
  const statuses: Record<string, number> = {};
  const before = processUsage(serverPid);
  if (profileDir) process.kill(serverPid, 'SIGUSR2');
  const started = performance.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${base}${options.path}`,
        method: options.method ?? 'GET',
        body: options.body,
        headers: { ...auth, ...(options.body ? { 'content-type': 'application/json' } : {}) },
        connections,
        overallRate: rate,
        duration: seconds,
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  instance!.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status < 200 || status > 299) non2xx++;
  });
  const result = await finished;
  if (profileDir) process.kill(serverPid, 'SIGUSR2');
  const elapsed = (performance.now() - started) / 1000;
  const after = processUsage(serverPid, before, elapsed);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
  return {
    endpoint,
    target,
    askedRate: rate,
    achievedRate: Math.round(times.length / seconds),
    responses: times.length,
    non2xx,
    statuses,
    errors: result.errors + result.timeouts,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: times.at(-1) ?? Number.NaN,
    server: after,
  };
}

interface StreamResult {
  streams: number;
  opened: number;
  openSeconds: number;
  deliveredToAll: boolean;
  firstMs: number;
  lastMs: number;
  server: Usage;
  /** Streams the server ended while held: with a gap (they fell behind), or otherwise. */
  ended: { gaps: number; other: number };
  refusal?: string;
}

async function streams(count: number): Promise<StreamResult> {
  // Runs to execute while the streams open and every run.updated goes to each one opened so far.
  for (let i = 0; i < busy; i++) await post('/api/v1/operations', oneStep);
  const before = processUsage(serverPid);
  const started = performance.now();
  const held = await openStreams(`${base}/api/v1/events/stream?type=run.updated`, auth, count);
  const openSeconds = (performance.now() - started) / 1000;
  try {
    if (held.opened < count) return { streams: count, opened: held.opened, openSeconds, deliveredToAll: false, firstMs: Number.NaN, lastMs: Number.NaN, server: processUsage(serverPid, before, openSeconds), ended: held.ended(), refusal: held.refusal };
    // Named apart from the backlog's runs, so the arrival timed is this operation's own event.
    const probe = `probe-${count}-${Date.now()}`;
    const sent = performance.now();
    const delivered = held.waitForEvent('run.updated', 120_000, probe);
    await post('/api/v1/operations', oneStep.replace('"name":"bench"', `"name":"${probe}"`));
    const arrivals = await delivered;
    const elapsed = (performance.now() - started) / 1000;
    return {
      streams: count,
      opened: held.opened,
      openSeconds,
      deliveredToAll: arrivals.length === count,
      firstMs: Math.min(...arrivals) - sent,
      lastMs: Math.max(...arrivals) - sent,
      server: processUsage(serverPid, before, elapsed),
      ended: held.ended(),
    };
  } finally {
    held.close();
    // The server notices each closed stream on its own; give it that time before the next phase.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } }, (response) => {
      response.resume().on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '-');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const loadAverage = [loadavg()[0]!];
const loads: LoadResult[] = [];
const streamResults: StreamResult[] = [];
try {
  const idle = processUsage(serverPid);
  // A server on a busy machine gets its share of the cores, not more: the load average says how busy.
  console.log(`photon serve pid ${serverPid} on ${base}: RSS ${mb(idle.rssBytes)} idle; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`file descriptors: this process soft ${limits.soft} / hard ${limits.hard}; server soft ${serverFdLimit}`);
  console.log(`\n${rate} req/s asked for ${seconds} s each, ${connections} connections, X-API-Key (scope run)`);
  // CPU per response is the figure that survives a shared machine: latency there is mostly waiting for a core.
  console.log('endpoint                     target p95   p50       p95       p99       achieved   non-2xx  no answer server CPU  CPU/resp  server RSS');
  const print = (r: LoadResult) =>
    console.log(
      `${r.endpoint.padEnd(28)} ${r.target.padEnd(12)} ${fmt(r.p50).padEnd(9)} ${fmt(r.p95).padEnd(9)} ${fmt(r.p99).padEnd(9)} ${`${r.achievedRate}/s`.padEnd(10)} ${String(r.non2xx).padEnd(8)} ${String(r.errors).padEnd(9)} ${`${r.server.cpuPercent.toFixed(0)}%`.padEnd(11)} ${`${((1000 * r.server.cpuSeconds) / Math.max(1, r.responses)).toFixed(2)} ms`.padEnd(9)} ${mb(r.server.rssBytes)}`,
    );
  const deep = Math.max(0, history - 1000);
  for (const [phase, endpoint, target, options] of [
    ['health', 'GET /health', '< 50 ms', { path: '/health' }],
    ['create', 'POST /api/v1/operations', '< 200 ms', { path: '/api/v1/operations', method: 'POST', body: oneStep }],
    ['list', 'GET /api/v1/operations', '< 100 ms', { path: '/api/v1/operations' }],
    ['history', `  ${history} runs: first 50`, '< 100 ms', { path: '/api/v1/operations' }],
    ['history', '  limit=200', '< 100 ms', { path: '/api/v1/operations?limit=200' }],
    ['history', '  status=failed', '< 100 ms', { path: '/api/v1/operations?status=failed' }],
    ['history', `  offset=${deep}`, '< 100 ms', { path: `/api/v1/operations?offset=${deep}` }],
  ] as const) {
    if (!phases.has(phase)) continue;
    const result = await load(endpoint, target, options);
    loads.push(result);
    print(result);
    if (result.non2xx > 0) console.log(`  statuses: ${JSON.stringify(result.statuses)}`);
    loadAverage.push(loadavg()[0]!);
  }

  if (phases.has('streams')) {
    console.log(`\nSSE streams (GET /api/v1/events/stream?type=run.updated)${busy > 0 ? `, opened while ${busy} operations run` : ''}, one operation started, time to its event`);
    console.log('streams   opened    open time  first      last       server CPU      server RSS  ended (gap/other)');
  }
  for (const count of phases.has('streams') ? streamCounts : []) {
    if (count + 100 > limits.soft || (serverFdLimit !== undefined && count + 100 > Number(serverFdLimit))) {
      console.log(`${String(count).padEnd(9)} skipped: the file-descriptor limit (${Math.min(limits.soft, Number(serverFdLimit))}) is below ${count} streams`);
      continue;
    }
    const result = await streams(count);
    streamResults.push(result);
    console.log(
      `${String(count).padEnd(9)} ${String(result.opened).padEnd(9)} ${`${result.openSeconds.toFixed(1)} s`.padEnd(10)} ${fmt(result.firstMs).padEnd(10)} ${fmt(result.lastMs).padEnd(10)} ${`${result.server.cpuSeconds.toFixed(1)} s ${result.server.cpuPercent.toFixed(0)}%`.padEnd(15)} ${mb(result.server.rssBytes).padEnd(11)} ${result.ended.gaps}/${result.ended.other}${result.deliveredToAll ? '' : ` NOT delivered to all${result.refusal ? `: ${result.refusal}` : ''}`}`,
    );
    loadAverage.push(loadavg()[0]!);
  }
  const peak = processUsage(serverPid);
  console.log(`\nserver peak RSS ${mb(peak.peakRssBytes)}; load average (1 min) ${loadAverage.map((l) => l.toFixed(2)).join(' → ')}`);
  const file = join(root, 'bench', 'results', `rest-api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ rate, seconds, history, busy, cores: availableParallelism(), fdLimits: { bench: limits, server: Number(serverFdLimit) }, loads, streams: streamResults, peakRssBytes: peak.peakRssBytes, loadAverage }, null, 2)}\n`);
  console.log(`written to ${file}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
