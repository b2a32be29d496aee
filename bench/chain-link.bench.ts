/**
 * `npx tsx bench/chain-link.bench.ts [--reps 5] [--chain 300] [--photon DIR]...`: where a link of
 * a chain of `true` steps goes, segment by segment, as `photon run` runs it. Each link is the
 * engine's spawn frame to its pty host, the host's request to photon-pty-spawner, the program's
 * start and end as the spawner reports them, the host's exit frame, and the engine's next spawn
 * frame; the engine and the host note when each passed (bench/lib/link-timeline-engine.mjs and
 * link-timeline-host.mjs, preloaded), in the machine's clock. Printed: the median of each segment
 * over a run's links, then the median over the runs, beside a shell loop starting the same
 * `$SHELL -c true` commands in the same round; and the CPU the engine, the host and the spawner
 * used a link (whole processes, start-up included). Not a test; Linux (the spawner, /proc).
 *
 * `--photon DIR` (repeatable) compares checkouts, interleaved in each round (build each one's
 * out/cli and out/pty-spawner first, or it runs through tsx). Default: this checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chainDag, toWorkflow } from './lib/layered-dag.js';
import { median, timeProcess } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    chain: { type: 'string', default: '300' },
    photon: { type: 'string', multiple: true },
  },
});
const reps = Number(values.reps);
const links = Number(values.chain);
const repo = fileURLToPath(new URL('../', import.meta.url));
const trees = (values.photon ?? [repo]).map((dir) => resolve(dir));
const shell = process.env.SHELL || '/bin/sh';
const engineProbe = join(repo, 'bench', 'lib', 'link-timeline-engine.mjs');
const hostProbe = join(repo, 'bench', 'lib', 'link-timeline-host.mjs');

/** Segments of a link: [label, from, to]; `to` of 'next' is the next link's E.request. */
const segments = [
  ['engine spawn frame -> host reads it', 'E.request', 'H.request'],
  ['host: request -> writing it to the spawner', 'H.request', 'H.toSpawner'],
  ["spawner: vfork, exec -> host reads 'S'", 'H.toSpawner', 'H.started'],
  ["program runs and ends -> host reads 'X'", 'H.started', 'H.exited'],
  ["host: 'X' -> writing the exit frame", 'H.exited', 'H.exit'],
  ['exit frame -> engine reads it', 'H.exit', 'E.exit'],
  ['engine: exit -> next spawn frame', 'E.exit', 'next'],
  ['whole link', 'E.request', 'next'],
] as const;

type Event = [string, number];

/** Per segment, the median over the run's links. */
function linkMedians(events: Event[]): Record<string, number> {
  const sorted = [...events].sort((a, b) => a[1] - b[1]);
  const found: Record<string, number>[] = [];
  for (const [name, at] of sorted) {
    if (name === 'E.request') found.push({ [name]: at });
    else if (found.length > 0 && !(name in found.at(-1)!)) found.at(-1)![name] = at;
  }
  const result: Record<string, number> = {};
  for (const [label, from, to] of segments) {
    const spans = found.map((link, i) => (to === 'next' ? found[i + 1]?.['E.request'] : link[to])! - link[from]!).filter((span) => Number.isFinite(span));
    result[label] = spans.length > 0 ? median(spans) : Number.NaN;
  }
  return result;
}

async function runChain(tree: string, chainFile: string): Promise<{ segments: Record<string, number>; cpu: Record<string, number> }> {
  const timeline = mkdtempSync(join(tmpdir(), 'photon-link-timeline-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'photon-link-data-'));
  try {
    // Its probes watch the Node host (pty-host-main.js) and its spawner: the host in C, the default
    // where the spawner is built, has no Node to preload them into.
    const env = { ...process.env, PHOTON_PTY_HOST: 'node', PHOTON_LINK_TIMELINE_DIR: timeline, PHOTON_PTY_HOST_NODE_OPTIONS: `--import ${hostProbe}` };
    const run = await timeProcess(process.execPath, ['--import', engineProbe, join(tree, 'bin', 'photon.js'), 'run', chainFile, '--data-dir', dataDir], { cwd: timeline, env });
    if (run.code !== 0) throw new Error(`photon run (${tree}) exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    const files = readdirSync(timeline);
    const engine = JSON.parse(readFileSync(join(timeline, files.find((file) => file.startsWith('engine-'))!), 'utf8')) as { events: Event[]; cpu: Record<string, number> };
    const host = files.filter((file) => file.startsWith('host-')).flatMap((file) => JSON.parse(readFileSync(join(timeline, file), 'utf8')) as Event[]);
    const cpu = Object.fromEntries(Object.entries(engine.cpu).map(([name, ms]) => [name, ms / links]));
    return { segments: linkMedians([...engine.events, ...host]), cpu };
  } finally {
    rmSync(timeline, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'photon-chain-link-'));
const chainFile = join(work, 'chain.json');
writeFileSync(chainFile, JSON.stringify(toWorkflow(chainDag(links), 'true')));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const results = trees.map(() => ({ segments: [] as Record<string, number>[], cpu: [] as Record<string, number>[] }));
const shellLoop: number[] = [];
try {
  process.stdout.write(`${cpus().length} CPUs, load ${load()}; a chain of ${links} \`true\` steps, ${reps} rounds (+1 warm-up)\n`);
  for (let round = 0; round <= reps; round++) {
    const line: string[] = [];
    for (const [i, tree] of trees.entries()) {
      const { segments: measured, cpu } = await runChain(tree, chainFile);
      if (round > 0) {
        results[i]!.segments.push(measured);
        results[i]!.cpu.push(cpu);
      }
      line.push(`#${i} link ${measured['whole link']!.toFixed(2)} ms`);
    }
    const started = performance.now();
    // Its stdin not a socket (a pipe of Node's is one): bash run with a socket for stdin reads
    // ~/.bashrc, as under sshd, and would time the user's start-up files.
    const loop = spawnSync('/bin/sh', ['-c', `i=0; while [ $i -lt ${links} ]; do "$0" -c true; i=$((i+1)); done`, shell], { stdio: 'ignore' });
    if (loop.status !== 0) throw new Error(`the shell loop exited with ${loop.status}`);
    const loopMs = (performance.now() - started) / links;
    if (round > 0) shellLoop.push(loopMs);
    process.stdout.write(`  ${round === 0 ? 'warm-up' : `round ${round}`}: ${line.join(' | ')} | shell loop ${loopMs.toFixed(2)} ms (load ${load()})\n`);
  }
  process.stdout.write(`\nMedians over ${reps} rounds of each run's median link (ms; load now ${load()}); shell loop ${median(shellLoop).toFixed(3)} ms a command\n`);
  const width = Math.max(...segments.map(([label]) => label.length));
  for (const [label] of segments) {
    const cells = results.map((result) => median(result.segments.map((run) => run[label]!)).toFixed(3).padStart(8));
    process.stdout.write(`  ${label.padEnd(width)} ${cells.join(' ')}\n`);
  }
  for (const name of ['engine', 'host', 'spawner']) {
    const cells = results.map((result) => median(result.cpu.map((run) => run[name] ?? Number.NaN)).toFixed(3).padStart(8));
    process.stdout.write(`  ${`CPU a link: ${name} (start-up included)`.padEnd(width)} ${cells.join(' ')}\n`);
  }
  for (const [i, tree] of trees.entries()) process.stdout.write(`  column ${i + 1}: ${tree}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
