/**
 * `npx tsx bench/terminal.bench.ts`: the terminal path end to end, as a user sees it. `photon serve`
 * (fresh data folder per repetition) serves the built renderer to Debian's Chromium; a shell opened
 * from the dock's "New terminal" runs
 *   - `cat` of a file of base64 text (100 MB: `head -c 75000000 /dev/urandom | base64`, written to
 *     the bench's temp folder before anything is timed): end-to-end MB/s, from the Enter key until
 *     xterm has consumed the marker echoed after the last byte; and the engine process's memory
 *     (/proc/PID/status VmRSS sampled every 20 ms, and VmHWM) against its level before. `cat` costs
 *     about a tenth of the CPU per MB that base64 does (5.5 against 36.6 ms here): with base64
 *     producing during the flood, on 2 cores its CPU alone kept end to end under half of xterm
 *     alone whatever Photon did, so the fraction measured the producer more than Photon's path;
 *   - `yes` flooding the screen, then Ctrl-C: the time from the key to the shell's prompt in xterm.
 *   - right after the flood, in the same page and terminal, cleared as `clear` left it before the
 *     flood (an empty scrollback makes xterm's first 10,000 lines far slower: bench/lib/xterm-feed.ts),
 *     as many characters of the same kind
 *     (base64 lines of 76 with the pty's CRLF) written straight into xterm (the probe's `feed`:
 *     no engine, no WebSocket, no flow control): xterm's own speed on this machine at this moment,
 *     and end to end as a fraction of it, the figure that holds from one machine to another.
 *   - then, in the same page and xterm, cleared alike, the "bare pipeline" (bench/lib/bare-pipeline.ts):
 *     the least any browser terminal pays on this machine between a pty and xterm. A `node` of its
 *     own (as Photon's engine is, so its CPU is read apart from this process's, which drives the
 *     page and polls /proc meanwhile) runs the same producer through node-pty in a pty of the same
 *     size and sends what it reads as binary WebSocket messages (the `ws` package); the page writes
 *     each into xterm through the probe's `feed` and acknowledges what xterm's write callbacks
 *     report, once per parse slice; the server pauses the pty above a window of unacknowledged
 *     bytes and resumes it below its low mark (xterm.js's flow-control guide). No protocol,
 *     scrollback, pacing or pty host. Timed like the flood, to a marker printed after the last
 *     byte. Once per window of --bare-windows HIGH:LOW[:BATCH_MS],... (default
 *     100000:5000 (FlowControl's defaults), 1750000:1400000 (terminalFlow's, in bytes), that
 *     again with the pty's reads gathered 5 ms into one message, as VS Code's TerminalDataBufferer
 *     does (node-pty reads about 4 KB at a time, and one message per read costs the page more
 *     than the rest of the path), and 8000000:4000000 gathered 33 ms, as Photon's page paces xterm's
 *     writes (larger messages cost the page less; the fastest of these is the least a path pays). Printed: bare MB/s, bare as a fraction of xterm alone, end to
 *     end as a fraction of bare (what Photon adds over the unavoidable pty and socket), and the
 *     bare path's CPU per MB (server, producer, Chromium by process).
 * Beside it, where the flood's CPU went (bench/lib/flood-cpu.ts): the pipeline's per MB (engine and
 * pty host apart), the producer's, Chromium's and the rest of the machine's, and the bound the cores
 * set at that CPU per MB, with and without the pipeline's share: on a machine of few cores every ms
 * the pipeline spends is taken from xterm, so the bound says how much of the gap is the machine's.
 * Medians of the repetitions are printed and written to bench/results/. Not a test.
 *
 * Goals: end to end >= 0.9 of xterm alone (issue 17); engine growth < 50 MB, Ctrl-C answered
 * < 300 ms (issue 5). The absolute MB/s (issue 5 asked >= 20) is printed for reference only.
 * Options: --reps N (default 5), --bytes N (random bytes before base64, default 75000000),
 * --bare-windows HIGH:LOW[:BATCH_MS],... (the bare pipeline's runs, above; '' for none),
 * --producer cat|base64 (cat of the file made beforehand, the default; or base64 itself during the
 * flood, `head -c N /dev/urandom | base64`, as the figures before this option were measured),
 * --interrupts N (Ctrl-C trials per repetition, default 3), --profile DIR (CPU profiles of the
 * flood, for finding where its time goes: the engine's and its pty host's from V8's profiler
 * (bench/lib/cpu-profile-on-signal.mjs), the page's from DevTools' Profiler, cdp driver only; they slow what they watch, so figures of such a run are not comparable),
 * --trace (a Chromium trace of the flood and of xterm alone, cdp driver only: the page's main
 * thread's CPU per MB by kind, bench/lib/page-trace.ts; tracing slows the page too).
 * A/B: --against DIR (repeatable) also serves from another checkout (e.g. a `git worktree add` of
 * the base, built with `npm run build:cli` and `node scripts/build-pty-spawner.js`), and
 * --engine-env 'NAME=VALUE;NAME=VALUE' (repeatable) also serves this checkout with those variables
 * (e.g. NODE_OPTIONS=--max-semi-space-size=4); each repetition runs every variant, in turn reversed
 * from one repetition to the next (A B, B A, ...), and medians are printed for each.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { buildRenderer, rendererIsStale } from '../test/global-setup.js';
import { launchChromium } from '../test/e2e/support/chromium.js';
import { makeDataDir, removeDataDir, repoRoot, startPhotonServer } from '../test/e2e/support/photon-server.js';
import { CdpPage } from './lib/cdp-page.js';
import { median } from './lib/measure.js';
import { floodCpuLines, floodCpuMedians, floodCpuSnapshot, floodCpuSpent, nodePtyHostPid, type FloodCpuMedians } from './lib/flood-cpu.js';
import { makeFeedPool, xtermAlone, xtermPaced, type XtermAlone } from './lib/xterm-feed.js';
import { barePipeline, parseBareWindows, startBareServer, windowLabel, type BareRun, type BareServer } from './lib/bare-pipeline.js';
import { mainThreadWork, traceWhile, workLine, workMedianLines, type MainThreadWork } from './lib/page-trace.js';
import { groupThreadsCpuMs, processGroupCpuMs, threadsSpent } from './lib/proc-cpu.js';
import { readMemory } from './lib/proc-memory.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    bytes: { type: 'string', default: '75000000' },
    interrupts: { type: 'string', default: '3' },
    drivers: { type: 'string', default: 'cdp,playwright' },
    profile: { type: 'string' },
    trace: { type: 'boolean', default: false },
    producer: { type: 'string', default: 'cat' },
    against: { type: 'string', multiple: true, default: [] },
    'engine-env': { type: 'string', multiple: true, default: [] },
    'bare-windows': { type: 'string', default: '100000:5000,1750000:1400000,1750000:1400000:5,8000000:4000000:33' },
  },
});
const reps = Number(values.reps);
const randomBytes = Number(values.bytes);
const interrupts = Number(values.interrupts);
const drivers = values.drivers.split(',').map((name) => {
  if (name !== 'cdp' && name !== 'playwright') throw new Error(`--drivers: "${name}" is neither cdp nor playwright`);
  return name;
}) as Driver[];
if (values.producer !== 'cat' && values.producer !== 'base64') throw new Error(`--producer: "${values.producer}" is neither cat nor base64`);
const producer = values.producer;
const bareWindows = parseBareWindows(values['bare-windows']);

/** What serves the page: a checkout and the variables its `photon serve` gets on top of this process's. */
interface Variant {
  label: string;
  root: string;
  env: Record<string, string>;
}

/** `NAME=VALUE;NAME=VALUE` as variables. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(';').filter((each) => each !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--engine-env: "${pair}" is not NAME=VALUE`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

const variants: Variant[] = [
  { label: 'this checkout', root: repoRoot, env: {} },
  ...values.against.map((dir) => {
    if (!existsSync(join(resolve(dir), 'bin', 'photon.js'))) throw new Error(`--against: ${dir} has no bin/photon.js`);
    return { label: resolve(dir), root: resolve(dir), env: {} };
  }),
  ...values['engine-env'].map((text) => ({ label: text, root: repoRoot, env: parseEnv(text) })),
];
const prompt = 'PHOTON-BENCH>';
const goals = { fractionOfXterm: 0.9, growthMb: 50, interruptMs: 300 };

/**
 * CPU time (ms) used by every process of Chromium's group: browser, renderer, GPU and network
 * processes, which share the page's work. Null through Playwright, whose browser serves all pages.
 * Per MB, against xterm alone's, it shows what the path adds in work, whatever the machine's load.
 */
function chromiumCpuMs(page: BenchPage): number | null {
  return page instanceof CdpPage ? processGroupCpuMs(page.browserPid) : null;
}

/** Chromium's CPU so far per process kind and thread (bench/lib/proc-cpu.ts groupThreadsCpuMs); null through Playwright. */
function chromiumThreads(page: BenchPage): Map<string, number> | null {
  return page instanceof CdpPage ? groupThreadsCpuMs(page.browserPid) : null;
}

/** What each of Chromium's process kinds and threads spent between two readings, in ms. */
function threadsBetween(before: Map<string, number> | null, after: Map<string, number> | null): Record<string, number> | null {
  return before === null || after === null ? null : threadsSpent(before, after);
}

/** A line of Chromium's CPU per MB by process kind, then its busiest threads. */
function threadsLine(spent: Record<string, number>, megabytes: number): string {
  const byKind: Record<string, number> = {};
  for (const [key, ms] of Object.entries(spent)) byKind[key.split('/')[0]!] = (byKind[key.split('/')[0]!] ?? 0) + ms;
  const perMb = (ms: number) => (ms / megabytes).toFixed(1);
  const kinds = Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([kind, ms]) => `${kind} ${perMb(ms)}`);
  const threads = Object.entries(spent).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([key, ms]) => `${key} ${perMb(ms)}`);
  return `${kinds.join(', ')}; threads: ${threads.join(', ')} (ms a MB)`;
}

/** The `photon serve` process of a data folder (the node process whose arguments name it). */
function enginePid(dataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('serve') && args.includes(dataDir)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`no photon serve process for ${dataDir}`);
}

/** What the benchmark needs of a page, from either driver. */
interface BenchPage {
  goto(url: string): Promise<void>;
  /** Evaluates an expression (awaiting a promise) in the page. */
  evaluate<T>(expression: string): Promise<T>;
  /** Types into the focused element; a newline presses Enter. */
  type(text: string): Promise<void>;
  press(key: 'Control+c'): Promise<void>;
  close(): Promise<void>;
}

type Driver = 'cdp' | 'playwright';

/** Playwright's page: DevTools' Network domain is on, so every WebSocket frame is copied to the driver. */
async function playwrightPage(browser: Browser): Promise<BenchPage> {
  // Its CSP lets the page reach Photon's port only; the bare pipeline's socket is on another.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page: Page = await context.newPage();
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (expression) => page.evaluate(expression),
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key),
    close: () => context.close(),
  };
}

/** The shown terminal's probe, as an expression evaluated in the page. */
const probe = `document.querySelector('.terminal-view:not([hidden]) .terminal-surface')?.photonTerminal`;

/** An expression: the last `lines` rows of the shown terminal, trailing blanks trimmed. */
const lastLines = (lines: number) => `(${probe}?.text(${lines}) ?? '').split('\\n').map((line) => line.trimEnd())`;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Clicks the button whose text is `name` (inside `scope` when given), as a user would. */
const clickButton = (name: string, scope = 'document') =>
  `(() => { const button = [...${scope}.querySelectorAll('button')].find((b) => b.textContent.replace(/^\\+\\s*/, '').trim() === ${JSON.stringify(name)}); if (!button) throw new Error('no button ' + ${JSON.stringify(name)}); button.click(); })()`;

async function openShell(page: BenchPage): Promise<void> {
  await waitFor('the connection', () => page.evaluate(`document.querySelector('[role=status]')?.textContent.includes('Connected') ?? false`), 15_000);
  await page.evaluate(clickButton('New terminal'));
  await waitFor('the New terminal dialog', () => page.evaluate(`!!document.querySelector('dialog[open]')`));
  await page.evaluate(clickButton('Open', `document.querySelector('dialog[open]')`));
  await waitFor('the shell to start', async () => (await page.evaluate<string[]>(lastLines(50))).some((line) => line !== ''), 15_000);
  await page.evaluate(`document.querySelector('.terminal-view:not([hidden]) .terminal-surface textarea').focus()`);
  await page.type(`export PS1='${prompt} '; clear\n`);
  await waitFor('the bench prompt', async () => (await page.evaluate<string[]>(lastLines(50))).includes(prompt));
}

interface Flood {
  chars: number;
  ms: number;
  mbPerSecond: number;
  growthMb: number;
  hwmGrowthMb: number;
  baseRssMb: number;
  /** Animation frames the page ran during the flood (0 when it was hidden at any point). */
  framesPerSecond: number;
  /** Chromium's CPU (ms) during the flood per `process kind/thread` (null through Playwright). */
  chromiumThreads: Record<string, number> | null;
  /** CPU (ms) during the flood of each part; `others`: what the rest of the machine used meanwhile (null through Playwright, whose browser is not counted apart). */
  cpu: { engine: number; host: number; producer: number; chromium: number | null; others: number | null };
}

/**
 * The flood's command: `cat` of the base64 text written before timing (`floodFile`), or base64
 * producing it during the flood. Either prints the same kind of characters xterm alone is fed.
 */
function floodCommand(floodFile: string | undefined): string {
  return floodFile === undefined ? `head -c ${randomBytes} /dev/urandom | base64` : `cat ${floodFile}`;
}

/** `head -c N /dev/urandom | base64` into a file of `dir`, for `cat` to print during the flood. */
function makeFloodFile(dir: string): string {
  const file = join(dir, 'flood.b64');
  execFileSync('/bin/sh', ['-c', `head -c ${randomBytes} /dev/urandom | base64 > ${file}`]);
  return file;
}

async function flood(page: BenchPage, pid: number, floodFile: string | undefined): Promise<Flood> {
  const before = readMemory(pid)!;
  let peakRss = before.rssKb;
  // VmHWM catches the peak between samples; sampling rarely keeps this process off the CPUs measured.
  const sampler = setInterval(() => {
    const now = readMemory(pid);
    if (now) peakRss = Math.max(peakRss, now.rssKb);
  }, 100);
  const consumedBefore = await page.evaluate<number>(`${probe}.consumed()`);
  const cpuBefore = floodCpuSnapshot(pid, chromiumCpuMs(page));
  const threadsBefore = chromiumThreads(page);
  // The marker is spliced ("FLOOD""DONE") so the echoed command line never matches it. It is
  // watched in the page, so finishing is seen within 10 ms without a round trip per check.
  // It also counts animation frames, to show that the page was visible and drawing all along.
  const finished = page.evaluate<{ frames: number; visible: boolean }>(`(async () => {
    const t0 = performance.now();
    let frames = 0;
    let visible = document.visibilityState === 'visible';
    const count = () => { frames++; visible &&= document.visibilityState === 'visible'; requestAnimationFrame(count); };
    requestAnimationFrame(count);
    for (;;) {
      if (${probe}.text(4).split('\\n').some((line) => line.trimEnd() === 'FLOODDONE')) return { frames, visible };
      if (performance.now() - t0 > 300000) throw new Error('flood did not finish in 5 minutes');
      await new Promise((done) => setTimeout(done, 10));
    }
  })()`);
  const started = performance.now();
  await page.type(`${floodCommand(floodFile)}; echo FLOOD""DONE\n`);
  const { frames, visible } = await finished;
  const ms = performance.now() - started;
  const cpuAfter = floodCpuSnapshot(pid, chromiumCpuMs(page));
  const threadsAfter = chromiumThreads(page);
  clearInterval(sampler);
  const after = readMemory(pid)!;
  peakRss = Math.max(peakRss, after.rssKb);
  const chars = (await page.evaluate<number>(`${probe}.consumed()`)) - consumedBefore;
  return {
    chars,
    ms,
    mbPerSecond: chars / 1e6 / (ms / 1000),
    growthMb: (peakRss - before.rssKb) / 1024,
    hwmGrowthMb: (after.hwmKb - before.hwmKb) / 1024,
    baseRssMb: before.rssKb / 1024,
    framesPerSecond: visible ? frames / (ms / 1000) : 0,
    cpu: floodCpuSpent(cpuBefore, cpuAfter),
    chromiumThreads: threadsBetween(threadsBefore, threadsAfter),
  };
}

/** \`yes\` floods the screen; Ctrl-C; the time from the key (in the page) to the prompt in xterm. */
async function interrupt(page: BenchPage): Promise<number> {
  const lastNonBlank = async () => (await page.evaluate<string[]>(lastLines(50))).filter((l) => l !== '').at(-1);
  await page.type('yes\n');
  await waitFor('yes to flood', async () => (await lastNonBlank()) === 'y');
  await new Promise((done) => setTimeout(done, 500));
  // The watcher is in place before the key is pressed: with the page busy drawing the flood, one
  // started alongside the key press could miss it and wait for ever.
  await page.evaluate(`(() => {
    window.__photonInterrupt = (async () => {
      // Not \`once\`: the Control key's own keydown comes first.
      const pressed = await new Promise((done) => {
        const listener = (event) => {
          if (!event.ctrlKey || event.key.toLowerCase() !== 'c') return;
          window.removeEventListener('keydown', listener, true);
          done(performance.now());
        };
        window.addEventListener('keydown', listener, true);
      });
      for (;;) {
        const lines = ${lastLines(3)}.filter((line) => line !== '');
        if (lines.at(-1) === ${JSON.stringify(prompt)}) return performance.now() - pressed;
        if (performance.now() - pressed > 30000) throw new Error('no prompt within 30 s of Ctrl-C');
        await new Promise((done) => setTimeout(done, 2));
      }
    })();
  })()`);
  await page.press('Control+c');
  const ms = await page.evaluate<number>('window.__photonInterrupt');
  await page.type('clear\n');
  await waitFor('the prompt after clear', async () => (await lastNonBlank()) === prompt);
  return ms;
}

interface Repetition {
  driver: Driver;
  /** The variant's label (see Variant). */
  variant: string;
  flood: Flood;
  /** xterm alone on the same number of characters, in the same page right after the flood. */
  xterm: XtermAlone;
  /** Chromium's CPU (ms) for xterm alone per `process kind/thread` (null through Playwright). */
  xtermThreads: Record<string, number> | null;
  /** Chromium's CPU (ms) for xterm alone paced over the flood's duration; null through Playwright. */
  pacedChromiumCpuMs: number | null;
  /** End to end as a fraction of xterm alone. */
  fraction: number;
  interruptMs: number[];
  renderer: string;
  /** The bare pipeline, once per window (--bare-windows), in the same page and xterm right after xterm alone. */
  bare: BareResult[];
  /** With --trace: the page's main thread during the flood and during xterm alone. */
  pageWork?: { flood: MainThreadWork; xterm: MainThreadWork };
}

/** A bare run with Chromium's CPU by process kind and thread, and the paired fractions. */
interface BareResult extends BareRun {
  chromiumThreads: Record<string, number> | null;
  /** Bare MB/s as a fraction of xterm alone's in the same repetition. */
  ofXterm: number;
  /** End to end (Photon) as a fraction of bare in the same repetition: what Photon adds over the unavoidable pty and socket. */
  photonOfBare: number;
}

async function repetition(driver: Driver, browser: Browser, rep: number, floodFile: string | undefined, variant: Variant, bareServer: BareServer): Promise<Repetition> {
  const dataDir = makeDataDir();
  const profileDir = values.profile === undefined ? undefined : resolve(values.profile);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const preload = pathToFileURL(join(repoRoot, 'bench', 'lib', 'cpu-profile-on-signal.mjs')).href;
  const nodeOptions = variant.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '';
  const server = await startPhotonServer(dataDir, 0, {
    root: variant.root,
    env: {
      ...variant.env,
      ...(profileDir ? { NODE_OPTIONS: `${nodeOptions} --import=${preload}`.trim(), PHOTON_PTY_HOST_NODE_OPTIONS: `--import=${preload}`, PHOTON_CPU_PROFILE_DIR: profileDir } : {}),
    },
  });
  const page = driver === 'cdp' ? await CdpPage.launch() : await playwrightPage(browser);
  try {
    const pid = enginePid(dataDir);
    // Photon's CSP lets the page reach its own port only; the bare pipeline's socket is on another.
    if (page instanceof CdpPage) await page.send('Page.setBypassCSP', { enabled: true });
    await page.goto(server.url);
    await openShell(page);
    const renderer = await page.evaluate<string>(`${probe}.renderer()`);
    const size = await page.evaluate<{ cols: number; rows: number }>(`${probe}.size()`);
    const profiling = profileDir !== undefined && page instanceof CdpPage;
    if (profiling) {
      await page.send('Profiler.enable');
      await page.send('Profiler.start');
      // The engine, and its pty host (started with the shell) when it is the Node one, each write a profile of the flood.
      for (const each of [pid, nodePtyHostPid(pid)]) if (each !== null) process.kill(each, 'SIGUSR2');
    }
    const tracing = values.trace && page instanceof CdpPage ? page : undefined;
    const traced = <T>(action: () => Promise<T>) => (tracing ? traceWhile(tracing, action) : action().then((result) => ({ result, events: null })));
    const { result, events: floodTrace } = await traced(() => flood(page, pid, floodFile));
    if (profiling) {
      for (const each of [pid, nodePtyHostPid(pid)]) if (each !== null) process.kill(each, 'SIGUSR2');
      const { profile } = await page.send('Profiler.stop');
      writeFileSync(join(profileDir, `page-flood-rep${rep}.cpuprofile`), JSON.stringify(profile));
    }
    if (variants.length > 1) console.log(`  rep ${rep}, served by ${variant.label}:`);
    console.log(
      `  rep ${rep} ${driver.padEnd(10)}: ${(result.chars / 1e6).toFixed(1)} MB in ${(result.ms / 1000).toFixed(2)} s = ${result.mbPerSecond.toFixed(1)} MB/s; ` +
        `engine RSS ${result.baseRssMb.toFixed(0)} MB, peak growth ${result.growthMb.toFixed(1)} MB (VmHWM +${result.hwmGrowthMb.toFixed(1)} MB); ` +
        `${renderer} renderer, ${size.cols}x${size.rows}, ${result.framesPerSecond.toFixed(0)} frames/s`,
    );
    if (profiling) await page.send('Profiler.start');
    await makeFeedPool(page);
    const xtermThreadsBefore = chromiumThreads(page);
    const { result: xterm, events: xtermTrace } = await traced(() => xtermAlone(page, probe, () => chromiumCpuMs(page), result.chars, true));
    const xtermThreads = threadsBetween(xtermThreadsBefore, chromiumThreads(page));
    const pageWork = floodTrace && xtermTrace ? { flood: mainThreadWork(floodTrace), xterm: mainThreadWork(xtermTrace) } : undefined;
    if (profiling) {
      const { profile } = await page.send('Profiler.stop');
      writeFileSync(join(profileDir, `page-xterm-alone-rep${rep}.cpuprofile`), JSON.stringify(profile));
    }
    const fraction = result.mbPerSecond / xterm.mbPerSecond;
    const bare: BareResult[] = [];
    // Windows in turn, reversed from one repetition to the next, as the variants are.
    for (const window of rep % 2 === 1 ? bareWindows : [...bareWindows].reverse()) {
      const threadsBefore = chromiumThreads(page);
      const run = await barePipeline(page, probe, bareServer, floodCommand(floodFile), size, window, () => chromiumCpuMs(page));
      bare.push({ ...run, chromiumThreads: threadsBetween(threadsBefore, chromiumThreads(page)), ofXterm: run.mbPerSecond / xterm.mbPerSecond, photonOfBare: result.mbPerSecond / run.mbPerSecond });
    }
    bare.sort((a, b) => bareWindows.indexOf(a.window) - bareWindows.indexOf(b.window));
    const pacedChromiumCpuMs = driver === 'cdp' ? await xtermPaced(page, probe, () => chromiumCpuMs(page), result.chars, result.ms) : null;
    const pad = ' '.repeat(String(rep).length + 15);
    const cpu = (ms: number | null) => (ms === null ? 'not measured' : `${ms} ms`);
    console.log(`  ${pad}xterm alone: ${xterm.mbPerSecond.toFixed(1)} MB/s (${(xterm.ms / 1000).toFixed(2)} s, ${xterm.framesPerSecond.toFixed(0)} frames/s); end to end = ${fraction.toFixed(2)} of it`);
    const { engine, host, producer, chromium, others } = result.cpu;
    console.log(`  ${pad}CPU: Chromium ${cpu(chromium)} for the flood, ${cpu(xterm.chromiumCpuMs)} for xterm alone, ${cpu(pacedChromiumCpuMs)} for xterm alone paced over the flood's time`);
    console.log(`  ${pad}     engine ${engine} ms, pty host ${host} ms, producer ${producer} ms; other work on the machine ${cpu(others)}`);
    for (const run of bare) {
      const megabytes = run.chars / 1e6;
      console.log(
        `  ${pad}bare pipeline, window ${windowLabel(run.window)}: ${run.mbPerSecond.toFixed(1)} MB/s (${(run.ms / 1000).toFixed(2)} s, ${run.framesPerSecond.toFixed(0)} frames/s, ` +
          `${run.chunks} messages of ${(run.chars / run.chunks).toFixed(0)} bytes) = ${run.ofXterm.toFixed(2)} of xterm alone; end to end = ${run.photonOfBare.toFixed(2)} of it`,
      );
      console.log(
        `  ${pad}     CPU per MB: server ${(run.cpu.server / megabytes).toFixed(1)} ms, producer ${(run.cpu.producer / megabytes).toFixed(1)} ms, ` +
          `Chromium ${run.cpu.chromium === null ? 'not measured' : `${(run.cpu.chromium / megabytes).toFixed(1)} ms`}; other work on the machine ${cpu(run.cpu.others)}`,
      );
    }
    if (result.chromiumThreads) console.log(`  ${pad}Chromium, flood:       ${threadsLine(result.chromiumThreads, result.chars / 1e6)}`);
    if (xtermThreads) console.log(`  ${pad}Chromium, xterm alone: ${threadsLine(xtermThreads, result.chars / 1e6)}`);
    for (const run of bare) if (run.chromiumThreads) console.log(`  ${pad}Chromium, bare ${windowLabel(run.window).padEnd(19)}: ${threadsLine(run.chromiumThreads, run.chars / 1e6)}`);
    if (pageWork) for (const [what, work] of Object.entries(pageWork)) console.log(`  ${pad}page's main thread, ${what === 'flood' ? 'flood' : 'xterm alone'}: ${workLine(work, result.chars / 1e6)}`);
    await page.type('clear\n');
    const interruptMs: number[] = [];
    for (let i = 0; i < interrupts; i++) interruptMs.push(await interrupt(page));
    console.log(`  ${' '.repeat(String(rep).length + 15)}Ctrl-C to prompt: ${interruptMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    return { driver, variant: variant.label, flood: result, xterm, xtermThreads, pacedChromiumCpuMs, fraction, interruptMs, renderer, bare, ...(pageWork ? { pageWork } : {}) };
  } finally {
    try {
      await page.close();
    } finally {
      await server.stop();
      removeDataDir(dataDir);
    }
  }
}

/** Chromium's CPU per MB by process kind, medians over the repetitions, for the flood and for xterm alone. */
function kindMedianLines(runs: Repetition[]): string[] {
  const perKind = (spent: Record<string, number>, megabytes: number) => {
    const byKind: Record<string, number> = {};
    for (const [key, ms] of Object.entries(spent)) byKind[key.split('/')[0]!] = (byKind[key.split('/')[0]!] ?? 0) + ms / megabytes;
    return byKind;
  };
  const measured = runs.filter((r) => r.flood.chromiumThreads && r.xtermThreads);
  if (measured.length === 0) return [];
  const flood = measured.map((r) => perKind(r.flood.chromiumThreads!, r.flood.chars / 1e6));
  const xterm = measured.map((r) => perKind(r.xtermThreads!, r.flood.chars / 1e6));
  const kinds = [...new Set(flood.flatMap((k) => Object.keys(k)))].sort((a, b) => median(flood.map((k) => k[b] ?? 0)) - median(flood.map((k) => k[a] ?? 0)));
  const line = (what: typeof flood) => kinds.map((kind) => `${kind} ${median(what.map((k) => k[kind] ?? 0)).toFixed(1)}`).join(', ');
  return [`  Chromium's processes, ms a MB: flood ${line(flood)}`, `                                 xterm alone ${line(xterm)}`];
}

/** The bare pipeline's medians for one window: MB/s, the paired fractions, CPU per MB. */
interface BareMedians {
  window: string;
  mbPerSecond: number;
  ofXterm: number;
  photonOfBare: number;
  bytesPerMessage: number;
  serverMsPerMb: number;
  producerMsPerMb: number;
  chromiumMsPerMb: number | null;
  /** Chromium's CPU per MB by process kind. */
  chromiumKinds: Record<string, number>;
}

function bareMedians(runs: Repetition[]): BareMedians[] {
  return bareWindows.map((window) => {
    const mine = runs.flatMap((r) => r.bare.filter((b) => b.window === window));
    const perMb = (pick: (run: BareResult) => number) => median(mine.map((run) => pick(run) / (run.chars / 1e6)));
    const kinds = [...new Set(mine.flatMap((run) => Object.keys(run.chromiumThreads ?? {}).map((key) => key.split('/')[0]!)))];
    const kindMs = (run: BareResult, kind: string) => Object.entries(run.chromiumThreads ?? {}).reduce((sum, [key, ms]) => sum + (key.split('/')[0] === kind ? ms : 0), 0);
    return {
      window: windowLabel(window),
      mbPerSecond: median(mine.map((run) => run.mbPerSecond)),
      ofXterm: median(mine.map((run) => run.ofXterm)),
      photonOfBare: median(mine.map((run) => run.photonOfBare)),
      bytesPerMessage: median(mine.map((run) => run.chars / run.chunks)),
      serverMsPerMb: perMb((run) => run.cpu.server),
      producerMsPerMb: perMb((run) => run.cpu.producer),
      chromiumMsPerMb: mine.every((run) => run.cpu.chromium !== null) ? perMb((run) => run.cpu.chromium!) : null,
      chromiumKinds: Object.fromEntries(kinds.map((kind) => [kind, perMb((run) => kindMs(run, kind))]).sort((a, b) => (b[1] as number) - (a[1] as number))),
    };
  });
}

function bareMedianLines(medians: BareMedians[]): string[] {
  return medians.flatMap((m) => [
    `  bare pipeline  window ${m.window}: ${m.mbPerSecond.toFixed(1)} MB/s, ${m.ofXterm.toFixed(2)} of xterm alone; end to end ${m.photonOfBare.toFixed(2)} of it ` +
      `(${m.bytesPerMessage.toFixed(0)} bytes a message)`,
    `                 CPU per MB: server ${m.serverMsPerMb.toFixed(1)} ms, producer ${m.producerMsPerMb.toFixed(1)} ms, Chromium ${m.chromiumMsPerMb === null ? 'not measured' : `${m.chromiumMsPerMb.toFixed(1)} ms`}` +
      (Object.keys(m.chromiumKinds).length ? ` (${Object.entries(m.chromiumKinds).map(([kind, ms]) => `${kind} ${ms.toFixed(1)}`).join(', ')})` : ''),
  ]);
}

async function main(): Promise<void> {
  if (!existsSync('/bin/bash')) throw new Error('the benchmark types bash syntax: needs /bin/bash');
  process.env.SHELL = '/bin/bash';
  if (rendererIsStale()) await buildRenderer();
  const tempDir = mkdtempSync(join(tmpdir(), 'photon-terminal-bench-'));
  const floodFile = producer === 'cat' ? makeFloodFile(tempDir) : undefined;
  console.log(
    `Terminal benchmark: ${reps} repetitions of ${drivers.join(' and ')}, producer ${producer}: ` +
      `\`${floodCommand(floodFile)}\`${floodFile ? ` (head -c ${randomBytes} /dev/urandom | base64, written before timing)` : ''} ` +
      `then as much fed straight into xterm, ${interrupts} Ctrl-C trials each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  const browser = await launchChromium();
  const bareServer = await startBareServer();
  const runs: Repetition[] = [];
  try {
    // Interleaved, so a change in the machine's load falls on both drivers and every variant alike.
    for (let rep = 1; rep <= reps; rep++) {
      const order = rep % 2 === 1 ? variants : [...variants].reverse();
      for (const variant of order) for (const driver of drivers) runs.push(await repetition(driver, browser, rep, floodFile, variant, bareServer));
    }
  } finally {
    await bareServer.stop();
    await browser.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  const medians: Record<string, { variant: string; driver: Driver; mbPerSecond: number; xtermMbPerSecond: number; fraction: number; cpu: FloodCpuMedians; bare: BareMedians[]; growthMb: number; hwmGrowthMb: number; interruptMs: number }> = {};
  for (const variant of variants) for (const driver of drivers) {
    const mine = runs.filter((r) => r.driver === driver && r.variant === variant.label);
    const m = (medians[variants.length > 1 ? `${driver} ${variant.label}` : driver] = {
      variant: variant.label,
      driver,
      mbPerSecond: median(mine.map((r) => r.flood.mbPerSecond)),
      xtermMbPerSecond: median(mine.map((r) => r.xterm.mbPerSecond)),
      // Paired per repetition, so a change of load between repetitions cancels out.
      fraction: median(mine.map((r) => r.fraction)),
      cpu: floodCpuMedians(
        mine.map((r) => ({ chars: r.flood.chars, ms: r.flood.ms, cpu: r.flood.cpu, xterm: r.xterm, pacedChromiumCpuMs: r.pacedChromiumCpuMs })),
        cpus().length,
      ),
      bare: bareMedians(mine),
      growthMb: median(mine.map((r) => r.flood.growthMb)),
      hwmGrowthMb: median(mine.map((r) => r.flood.hwmGrowthMb)),
      interruptMs: median(mine.flatMap((r) => r.interruptMs)),
    });
    console.log(`\nMedians, ${driver === 'cdp' ? 'page driven over bare DevTools protocol (as a user\'s app runs)' : 'page driven by Playwright (its Network domain copies every WebSocket frame)'}${variants.length > 1 ? `, served by ${variant.label}` : ''}`);
    console.log(`  end to end     ${m.mbPerSecond.toFixed(1)} MB/s beside xterm alone ${m.xtermMbPerSecond.toFixed(1)} MB/s: ${m.fraction.toFixed(2)} of it   (goal >= ${goals.fractionOfXterm}: ${verdict(m.fraction >= goals.fractionOfXterm)})`);
    for (const line of bareMedianLines(m.bare)) console.log(line);
    for (const line of floodCpuLines(m.cpu, cpus().length)) console.log(line);
    for (const line of kindMedianLines(mine)) console.log(line);
    for (const line of workMedianLines(mine.flatMap((r) => (r.pageWork ? [{ work: r.pageWork, megabytes: r.flood.chars / 1e6 }] : [])))) console.log(line);
    console.log(`  engine growth  ${m.growthMb.toFixed(1)} MB peak VmRSS over its level before, VmHWM +${m.hwmGrowthMb.toFixed(1)} MB   (goal < ${goals.growthMb}: ${verdict(m.growthMb < goals.growthMb)})`);
    console.log(`  Ctrl-C         ${m.interruptMs.toFixed(0)} ms to the prompt   (goal < ${goals.interruptMs}: ${verdict(m.interruptMs < goals.interruptMs)})`);
  }
  const resultsDir = join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `terminal-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), randomBytes, producer, reps, variants, runs, medians, goals }, null, 2)}\n`);
  console.log(`\nWritten to ${file}`);
}

await main();
