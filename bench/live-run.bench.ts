/**
 * `npx tsx bench/live-run.bench.ts [--layers N] [--width N] [--reps N]`: a
 * 1,000-step layered workflow of `true` (20 layers of 50 by default) run by `photon serve` (at the
 * engine's default concurrency, started with the canvas's Run workflow) while two Chromium pages
 * watch it, each driven over the bare DevTools protocol (lib/cdp-page.ts):
 * the run's page (with its run canvas, timeline and step cards) and the workflow's canvas, which
 * shows the run on its nodes. Measured in each page, during the run:
 *   - lag: for each step that succeeded, from the moment the engine announced it (the bench's own
 *     WebSocket client gets the same run.updated events the pages get) to the first frame whose
 *     page shows that many succeeded ("N of M"), read from the page at every animation frame;
 *     the p99 and the largest over the run, and the lag of the run's end (its final status shown);
 *   - the longest main-thread task (PerformanceObserver 'longtask', which reports every task over
 *     50 ms) and how many there were;
 *   - frames per second: animation frames the page drew from the run's start to its end;
 *   - how often the counted components rendered (renderer/lib/render-count.ts): the page at
 *     every frame of events, the graphs, timeline and canvas at their own pace.
 * Goals (issue 17): lag under 250 ms at p99, no task over 100 ms, at least 50 frames per second.
 * Medians over --reps runs (default 1: a run takes about a minute here) are printed with the load
 * average, raw figures written to bench/results/live-run-*.json. Not a test.
 *
 * --profile records each page's JavaScript with Chromium's sampling profiler from the click on
 * Run workflow to the run's end and prints the functions that took the most time (build the
 * renderer unminified to read their names).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { makeDataDir, removeDataDir, startPhotonServer, type PhotonServer } from '../test/e2e/support/photon-server.js';
import { buildRenderer, rendererIsStale } from '../test/global-setup.js';
import { CdpPage } from './lib/cdp-page.js';
import { timeByFunction, type Profile, type ProfileNode } from './lib/cpu-profile.js';
import { layeredDag, toWorkflow } from './lib/layered-dag.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '20' },
    width: { type: 'string', default: '50' },
    reps: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
  },
});
const layers = Number(values.layers);
const width = Number(values.width);
const reps = Number(values.reps);
const root = fileURLToPath(new URL('../', import.meta.url));

/** What each page records from its first moment: long tasks, frames, and the succeeded count it shows. */
const recorder = `(() => {
  const bench = (window.__bench = { longTasks: [], frames: 0, firstFrame: 0, lastFrame: 0, shown: [], finalAt: 0 });
  // Renders of the components a run's events must not render at every frame (renderer/lib/render-count.ts).
  window.__photonRenders = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let last = -1;
  const tick = () => {
    const now = Date.now();
    if (bench.recording) {
      bench.frames++;
      bench.firstFrame ||= now;
      bench.lastFrame = now;
    }
    const facts = document.querySelector('.run-facts') ?? document.querySelector('.canvas-run-banner');
    const text = facts ? facts.textContent : '';
    const match = /(\\d+) of (\\d+) (?:steps )?succeeded/.exec(text);
    const count = match ? Number(match[1]) : -1;
    if (count !== last) {
      last = count;
      bench.shown.push([now, count]);
    }
    // The end shown: the run page's final status, or the canvas's banner gone (it shows active runs only).
    if (!bench.finalAt && bench.shown.some(([, c]) => c > 0) && (match ? !/running|pending/i.test(text) : true)) bench.finalAt = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface PageFigures {
  p99LagMs: number;
  maxLagMs: number;
  endLagMs: number;
  longestTaskMs: number;
  longTasks: number;
  framesPerSecond: number;
  /** Renders of each counted component from the click on Run workflow to the run's end. */
  renders: Record<string, number>;
}

interface Recorded {
  longTasks: { at: number; ms: number }[];
  frames: number;
  firstFrame: number;
  lastFrame: number;
  shown: [number, number][];
  finalAt: number;
  renders: Record<string, number>;
}

class EngineWatch {
  /** [time, succeeded] at each run.updated of the run. */
  readonly updates: [number, number][] = [];
  endedAt = 0;
  runId = '';
  /** The run followed is the first one of this workflow. */
  workflowId = '';
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private ended!: () => void;
  readonly end = new Promise<void>((resolve) => (this.ended = resolve));

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as {
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: { message: string };
        event?: string;
        payload?: { runId: string; status: string; counts: { succeeded: number } };
      };
      if (message.event === 'run.updated' && !this.runId && (message.payload as { workflowId?: string }).workflowId === this.workflowId) this.runId = message.payload!.runId;
      if (message.event === 'run.updated' && message.payload!.runId === this.runId) {
        const now = Date.now();
        this.updates.push([now, message.payload!.counts.succeeded]);
        if (!['pending', 'running'].includes(message.payload!.status) && !this.endedAt) {
          this.endedAt = now;
          this.ended();
        }
        return;
      }
      const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id!);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error?.message ?? 'failed'));
    });
  }

  static async connect(server: PhotonServer): Promise<EngineWatch> {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { Authorization: `Bearer ${server.token}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new EngineWatch(socket);
  }

  call<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Figures from `from` (when both pages were showing the run) to the run's end. */
function figures(engine: EngineWatch, from: number, page: Recorded): PageFigures {
  // For each succeeded count k: when the engine announced it, and when the page first showed it.
  const lags: number[] = [];
  const total = engine.updates.at(-1)?.[1] ?? 0;
  let e = 0;
  let p = 0;
  for (let k = 1; k <= total; k++) {
    while (e < engine.updates.length && engine.updates[e]![1] < k) e++;
    while (p < page.shown.length && page.shown[p]![1] < k) p++;
    if (e >= engine.updates.length) break;
    if (engine.updates[e]![0] < from) continue;
    const shownAt = p < page.shown.length ? page.shown[p]![0] : Number.POSITIVE_INFINITY;
    lags.push(Math.max(0, shownAt - engine.updates[e]![0]));
  }
  const during = page.longTasks.filter((t) => t.at >= from && t.at <= engine.endedAt);
  return {
    p99LagMs: percentile(lags, 99),
    maxLagMs: Math.max(...lags),
    endLagMs: page.finalAt ? page.finalAt - engine.endedAt : Number.POSITIVE_INFINITY,
    longestTaskMs: Math.max(0, ...during.map((t) => t.ms)),
    longTasks: during.length,
    framesPerSecond: page.frames / ((page.lastFrame - page.firstFrame) / 1000 || 1),
    renders: page.renders,
  };
}

/** The functions with the most samples of their own, and of themselves plus what they called. */
function topFunctions(profile: Profile, count = 15): string {
  // The page's scripts by file name alone: their URLs carry the server's port.
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').at(-1)}:${n.callFrame.lineNumber + 1}`;
  const { self, inclusive: total } = timeByFunction(profile, (i) => (profile.timeDeltas[i] ?? 0) / 1000, name);
  const top = (map: Map<string, number>) =>
    [...map]
      .filter(([key]) => !/^\((idle|program|root)\)/.test(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, ms]) => `    ${ms.toFixed(0).padStart(7)} ms  ${key}`)
      .join('\n');
  return `  self time:\n${top(self)}\n  with callees:\n${top(total)}`;
}

async function openPage(url: string, ready: string): Promise<CdpPage> {
  const page = await CdpPage.launch();
  await page.send('Page.enable');
  await page.send('Page.addScriptToEvaluateOnNewDocument', { source: recorder });
  await page.goto(url);
  await waitFor(`${url} to show ${ready}`, () => page.evaluate<boolean>(`!!document.querySelector(${JSON.stringify(ready)})`));
  return page;
}

async function once(): Promise<{ runPage: PageFigures; canvas: PageFigures; engineMs: number; watchedMs: number; load: number }> {
  const dataDir = makeDataDir();
  const server = await startPhotonServer(dataDir);
  const engine = await EngineWatch.connect(server);
  const pages: CdpPage[] = [];
  try {
    const workflow = toWorkflow(layeredDag({ layers, width, seed: 7 }), 'true');
    const { id } = await engine.call<{ id: string }>('workflows.save', { workflow });
    const base = `${server.origin}/?token=${server.token}`;
    engine.workflowId = id;
    // Both pages open the workflow's canvas (laying out 1,000 nodes before the run, as a user
    // opens it); the first runs it from there as a user does, and so becomes the run's page.
    const runPage = await openPage(`${base}#/workflows/${id}`, '.react-flow__node');
    pages.push(runPage);
    const canvas = await openPage(`${base}#/workflows/${id}`, '.react-flow__node');
    pages.push(canvas);
    if (values.profile) {
      for (const page of pages) {
        await page.send('Profiler.enable');
        await page.send('Profiler.setSamplingInterval', { interval: 1000 });
        await page.send('Profiler.start');
      }
    }
    for (const page of pages) await page.evaluate('window.__photonRenders = {}');
    await runPage.evaluate(`[...document.querySelectorAll('button')].find((b) => b.textContent.trim().endsWith('Run workflow')).click()`);
    const startedAt = Date.now();
    // Figures count from when both pages show the run.
    await waitFor('the run page', () => runPage.evaluate<boolean>(`!!document.querySelector('.run-facts')`), 300_000);
    await waitFor('the canvas to show the run', () => canvas.evaluate<boolean>(`!!document.querySelector('.canvas-run-banner')`), 300_000);
    for (const page of pages) await page.evaluate('window.__bench.recording = true');
    const watchedFrom = Date.now();
    if (engine.endedAt) {
      console.log(`the run ended ${engine.endedAt - startedAt} ms after its start, before both pages showed it (${watchedFrom - startedAt} ms)`);
    }
    await engine.end;
    if (values.profile) {
      for (const [index, page] of pages.entries()) {
        const { profile } = (await page.send('Profiler.stop')) as { profile: Parameters<typeof topFunctions>[0] };
        console.log(`${index === 0 ? 'run page' : 'workflow canvas'}, from Run workflow to the run's end:\n${topFunctions(profile)}`);
      }
    }
    const load = loadavg()[0]!;
    for (const page of pages) await page.evaluate('window.__bench.recording = false');
    // Each page must come to show the end; how long that took is its end lag.
    for (const page of pages) {
      await waitFor('the page to show the run ended', () => page.evaluate<boolean>('window.__bench.finalAt > 0'), 300_000).catch(async (error: Error) => {
        const seen = await page.evaluate<string>(`JSON.stringify(window.__bench.shown.slice(-5)) + ' ' + (document.querySelector('.run-facts') ?? document.querySelector('.canvas-run-banner'))?.textContent`);
        throw new Error(`${error.message}; the page showed ${seen}`);
      });
    }
    const read = (page: CdpPage) => page.evaluate<Recorded>('({ ...window.__bench, renders: window.__photonRenders })');
    return {
      runPage: figures(engine, watchedFrom, await read(runPage)),
      canvas: figures(engine, watchedFrom, await read(canvas)),
      engineMs: engine.endedAt - startedAt,
      watchedMs: engine.endedAt - watchedFrom,
      load,
    };
  } finally {
    for (const page of pages) await page.close();
    engine.close();
    await server.stop();
    removeDataDir(dataDir);
  }
}

if (rendererIsStale()) {
  console.log('building the renderer…');
  await buildRenderer();
}
const results: Awaited<ReturnType<typeof once>>[] = [];
for (let rep = 0; rep < reps; rep++) {
  const result = await once();
  results.push(result);
  console.log(`run ${rep + 1}: ${JSON.stringify(result)}`);
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'never');
const med = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick));
console.log(
  `\n${layers * width}-step layered run watched live, medians of ${reps}, ${availableParallelism()} CPUs, load average ${med((r) => r.load).toFixed(1)}; the engine ran it in ${(med((r) => r.engineMs) / 1000).toFixed(1)} s, watched by both pages for the last ${(med((r) => r.watchedMs) / 1000).toFixed(1)} s`,
);
for (const name of ['runPage', 'canvas'] as const) {
  const label = name === 'runPage' ? 'run page' : 'workflow canvas';
  console.log(
    `  ${label.padEnd(16)} lag p99 ${ms(med((r) => r[name].p99LagMs))} (goal < 250), max ${ms(med((r) => r[name].maxLagMs))}, end ${ms(med((r) => r[name].endLagMs))}; ` +
      `longest task ${ms(med((r) => r[name].longestTaskMs))} (goal <= 100), ${med((r) => r[name].longTasks)} over 50 ms; ` +
      `${med((r) => r[name].framesPerSecond).toFixed(0)} frames/s (goal >= 50)`,
  );
  const counted = [...new Set(results.flatMap((r) => Object.keys(r[name].renders)))].sort();
  console.log(`  ${''.padEnd(16)} renders during the run: ${counted.map((key) => `${key} ${med((r) => r[name].renders[key] ?? 0)}`).join(', ')}`);
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const out = join(root, 'bench', 'results', `live-run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ layers, width, results }, null, 1)}\n`);
console.log(`raw figures: ${out}`);
