/**
 * `npx tsx bench/canvas.bench.ts`: a 1,000-step workflow (20 layers x 50) opened on the canvas in
 * Chromium, served by `photon serve` as a user runs it. Measured, each repeated (default 3) and
 * the medians printed:
 *   - first render: from navigation to the first frame that shows the canvas's nodes, once with
 *     positions stored in metadata.layout (a canvas-saved workflow) and once without (laid out by
 *     dagre on open);
 *   - while dragging a node and while panning, two figures per frame:
 *     - requestAnimationFrame deltas, as xyflow's own stress example records them. Headless
 *       Chromium paces frames at about 16.7 ms however little a frame costs, so these sit at that
 *       floor whenever frames keep up and cannot show a 16 ms goal being met;
 *     - main-thread work per frame, from a Chromium trace (CDP Tracing, see lib/frame-work.ts):
 *       for each frame that handled a pointer event, the time the page's main thread spent in
 *       tasks from the end of the previous frame to the end of this one (the input handling,
 *       React, style, layout and paint). This is what must stay under 16 ms for 60 frames a second.
 *       Both its wall time and its CPU time (thread time) are printed: on a machine shared with
 *       other busy processes the wall time includes waiting for a CPU.
 * Goals (issue 4): first render < 1.5 s; dragging with a median frame under 16 ms (judged on the
 * main-thread wall time per frame). Medians are printed and the raw figures written to
 * bench/results/canvas-*.json. Not a test.
 *
 * Options: --reps N, --layers N, --width N, --moves N (pointer moves per drag and per pan).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../test/e2e/support/chromium.js';
import { startPhotonServer } from '../test/e2e/support/photon-server.js';
import { buildRenderer, rendererIsStale } from '../test/global-setup.js';
import { traceWhile, workPerFrame } from './lib/frame-work.js';
import { layeredDag, toWorkflow } from './lib/layered-dag.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    layers: { type: 'string', default: '20' },
    width: { type: 'string', default: '50' },
    moves: { type: 'string', default: '60' },
  },
});
const reps = Number(values.reps);
const moves = Number(values.moves);
const layers = Number(values.layers);
const width = Number(values.width);

const steps = layeredDag({ layers, width, seed: 7 });
const plain = toWorkflow(steps, 'true') as { name: string; workflow: { step: number }[] };
const positions = Object.fromEntries(
  steps.map(({ step }) => [String(step), { x: Math.floor((step - 1) / width) * 300, y: ((step - 1) % width) * 110 }]),
);
const laidOut = { ...plain, name: `${plain.name} (laid out)`, metadata: { layout: { positions } } };

const work = mkdtempSync(join(tmpdir(), 'photon-canvas-bench-'));
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function importWorkflow(page: Page, workflow: object, fileName: string): Promise<string> {
  const file = join(work, fileName);
  writeFileSync(file, JSON.stringify(workflow));
  await page.getByLabel('Import a workflow file').setInputFiles(file);
  await page.waitForURL(/#\/workflows\/[\w-]+$/, { timeout: 60_000 });
  return decodeURIComponent(new URL(page.url()).hash.replace('#/workflows/', ''));
}

/** Loads the page at the workflow and returns ms from navigation start to the first frame with nodes. */
async function firstRender(page: Page, url: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(`new Promise((resolve) => {
    const check = () => {
      if (document.querySelector('.react-flow__node')) requestAnimationFrame(() => resolve(performance.now()));
      else requestAnimationFrame(check);
    };
    check();
  })`) as Promise<number>;
}

// In-page code is passed as text: tsx would wrap named functions in a helper the page lacks.
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (window.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

async function stopFrames(page: Page): Promise<number[]> {
  // The first delta spans the time before recording started.
  return page.evaluate(`(() => { window.recording = false; return window.frames_.slice(1); })()`) as Promise<number[]>;
}

interface GestureFrames {
  /** requestAnimationFrame deltas (ms). */
  raf: number[];
  /** Main-thread work (ms) of each frame that handled pointer input, from the trace: wall time. */
  work: number[];
  /** The same frames' main-thread CPU time (ms). */
  cpu: number[];
}

/** Presses at `from`, moves by (dx, dy) in `moves` steps and lets go, tracing the whole gesture. */
async function gesture(page: Page, from: { x: number; y: number }, dx: number, dy: number): Promise<GestureFrames> {
  let raf: number[] = [];
  const events = await traceWhile(page, async () => {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await startFrames(page);
    for (let i = 1; i <= moves; i++) {
      await page.mouse.move(from.x + (dx * i) / moves, from.y + (dy * i) / moves);
    }
    await page.mouse.up();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    raf = await stopFrames(page);
  });
  const frames = workPerFrame(events);
  return { raf, work: frames.wall, cpu: frames.cpu };
}

async function main(): Promise<void> {
  if (rendererIsStale()) await buildRenderer();
  const dataDir = join(work, 'data');
  const server = await startPhotonServer(dataDir);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-frame-rate-limit', '--disable-gpu-vsync', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(server.url);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    const laidOutId = await importWorkflow(page, laidOut, 'laid-out.json');
    const plainId = await importWorkflow(page, plain, 'plain.json');
    const urlOf = (id: string) => `${server.url.split('#')[0]}#/workflows/${encodeURIComponent(id)}`;

    // The frame pacing with nothing happening: the floor under every figure below.
    await startFrames(page);
    await page.waitForTimeout(1000);
    const idle = await stopFrames(page);
    console.log(`idle frame: median ${ms(median(idle))} over ${idle.length} frames`);

    const renders: Record<'laidOut' | 'plain', number[]> = { laidOut: [], plain: [] };
    const drag: GestureFrames = { raf: [], work: [], cpu: [] };
    const pan: GestureFrames = { raf: [], work: [], cpu: [] };
    const collect = (into: GestureFrames, frames: GestureFrames) => {
      into.raf.push(...frames.raf);
      into.work.push(...frames.work);
      into.cpu.push(...frames.cpu);
    };
    for (let rep = 0; rep < reps; rep++) {
      renders.plain.push(await firstRender(page, urlOf(plainId)));
      renders.laidOut.push(await firstRender(page, urlOf(laidOutId)));
      await page.locator('.react-flow__node').first().waitFor();
      const nodeCount = await page.locator('.react-flow__node').count();
      if (rep === 0) console.log(`nodes in the DOM after fit view: ${nodeCount} of ${steps.length}`);

      // Drag a node near the middle of the view.
      const flowBox = (await page.getByTestId('canvas').boundingBox())!;
      const [cx, cy] = [flowBox.x + flowBox.width / 2, flowBox.y + flowBox.height / 2];
      const target = (await page.evaluate(`(() => {
        let best = null;
        for (const node of document.querySelectorAll('.react-flow__node')) {
          const box = node.getBoundingClientRect();
          const x = box.x + box.width / 2, y = box.y + box.height / 2, d = Math.hypot(x - ${cx}, y - ${cy});
          if (!best || d < best.d) best = { x, y, d };
        }
        return best;
      })()`)) as { x: number; y: number } | null;
      if (!target) throw new Error('no node on screen to drag');
      collect(drag, await gesture(page, target, 160, 90));

      // Pan: drag the empty pane (the corner of the view, clear of the minimap and controls).
      collect(pan, await gesture(page, { x: flowBox.x + 40, y: flowBox.y + 40 }, 300, 200));
    }

    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? NaN;
    const results = {
      steps: steps.length,
      reps,
      firstRenderLaidOutMs: median(renders.laidOut),
      firstRenderAutoLayoutMs: median(renders.plain),
      dragRafMedianMs: median(drag.raf),
      dragRafP95Ms: p95(drag.raf),
      dragWorkMedianMs: median(drag.work),
      dragWorkP95Ms: p95(drag.work),
      dragCpuMedianMs: median(drag.cpu),
      dragCpuP95Ms: p95(drag.cpu),
      dragFrames: drag.work.length,
      panRafMedianMs: median(pan.raf),
      panRafP95Ms: p95(pan.raf),
      panWorkMedianMs: median(pan.work),
      panWorkP95Ms: p95(pan.work),
      panCpuMedianMs: median(pan.cpu),
      panCpuP95Ms: p95(pan.cpu),
      panFrames: pan.work.length,
      dragGoalMet: median(drag.work) < 16,
    };
    const line = (what: string, frames: GestureFrames) =>
      `  ${what}: rAF delta median ${ms(median(frames.raf))}, p95 ${ms(p95(frames.raf))} (${frames.raf.length} frames)\n` +
      `        main-thread work per frame with pointer input (${frames.work.length} frames): ` +
      `wall median ${ms(median(frames.work))}, p95 ${ms(p95(frames.work))}; CPU median ${ms(median(frames.cpu))}, p95 ${ms(p95(frames.cpu))}`;
    console.log(`canvas with ${steps.length} steps, ${reps} repetitions (medians)`);
    console.log(`  first render, positions stored:     ${ms(results.firstRenderLaidOutMs)}   (goal < 1500 ms: ${results.firstRenderLaidOutMs < 1500 ? 'met' : 'NOT met'})`);
    console.log(`  first render, dagre layout on open: ${ms(results.firstRenderAutoLayoutMs)}`);
    console.log(line('drag', drag));
    console.log(line('pan ', pan));
    console.log(`  load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
    console.log(`  drag goal (median frame under 16 ms, on main-thread wall time per frame): ${results.dragGoalMet ? 'met' : 'NOT met'}`);
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `canvas-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const raw = { date: new Date().toISOString(), cpus: availableParallelism(), loadavg: loadavg(), ...results, frames: { drag, pan }, renders };
    writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
    console.log(JSON.stringify(results));
    console.log(`raw figures: ${file}`);
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
