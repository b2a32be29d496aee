/**
 * `npx tsx bench/chain-link.bench.ts [--reps 5] [--chain 300] [--host c|node] [--photon DIR]...`:
 * where a link of a chain of `true` steps goes, segment by segment, as `photon run` runs it. Each
 * link is the engine's spawn frame to its pty host, the host's 'spawned' frame and its exit frame
 * back, and the engine's next spawn frame, as the engine notes them (bench/lib/link-timeline-engine.mjs,
 * preloaded), in the machine's clock. With `--host node` (the Node host, PHOTON_PTY_HOST=node) the
 * host notes its side too (link-timeline-host.mjs, preloaded into it): its request to
 * photon-pty-spawner, the program's start and end as the spawner reports them, its exit frame. The
 * default is the host `photon run` starts where the spawner is built, the host in C, into which
 * nothing can be preloaded: its rows read n/a. Printed: the median of each segment over a run's
 * links, then the median over the runs, beside a shell loop starting the same `$SHELL -c true`
 * commands in the same round; the mean link (what a run's total, as dag.bench.ts divides it, comes
 * to) and the share of a run's links spent in links that took over 5 times the median (stalls: a
 * WAL checkpoint, a busy machine); and the CPU the engine (all threads, and its main thread), the
 * host and the spawner used a link (whole processes, start-up included). Not a test; Linux (the
 * spawner, /proc).
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
    host: { type: 'string', default: 'c' },
  },
});
const reps = Number(values.reps);
const links = Number(values.chain);
const repo = fileURLToPath(new URL('../', import.meta.url));
const trees = (values.photon ?? [repo]).map((dir) => resolve(dir));
if (values.host !== 'c' && values.host !== 'node') throw new Error(`--host: c or node, not ${values.host}`);
const nodeHost = values.host === 'node';
const shell = process.env.SHELL || '/bin/sh';
const engineProbe = join(repo, 'bench', 'lib', 'link-timeline-engine.mjs');
const hostProbe = join(repo, 'bench', 'lib', 'link-timeline-host.mjs');

/** Segments of a link: [label, from, to]; `to` of 'next' is the next link's E.request. */
const segments = [
  ['engine spawn frame -> its spawned frame read', 'E.request', 'E.spawned'],
  ['spawned frame -> exit frame read', 'E.spawned', 'E.exit'],
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

/** Rows besides the segments: over a run's links, not their median. */
const spreads = ['whole link, mean', 'share of the links in links over 5x the median'] as const;

/** Per segment, the median over the run's links; and the spreads of its whole links. */
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
  const whole = found.slice(1).map((next, i) => next['E.request']! - found[i]!['E.request']!);
  const total = whole.reduce((sum, span) => sum + span, 0);
  const typical = median(whole);
  result[spreads[0]] = total / whole.length;
  result[spreads[1]] = whole.filter((span) => span > 5 * typical).reduce((sum, span) => sum + span, 0) / total;
  return result;
}

async function runChain(tree: string, chainFile: string): Promise<{ segments: Record<string, number>; cpu: Record<string, number> }> {
  const timeline = mkdtempSync(join(tmpdir(), 'photon-link-timeline-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'photon-link-data-'));
  try {
    // The host's probe goes into the Node host (pty-host-main.js): the host in C, the default
    // where the spawner is built, has no Node to preload it into.
    const env = nodeHost
      ? { ...process.env, PHOTON_PTY_HOST: 'node', PHOTON_LINK_TIMELINE_DIR: timeline, PHOTON_PTY_HOST_NODE_OPTIONS: `--import ${hostProbe}` }
      : { ...process.env, PHOTON_LINK_TIMELINE_DIR: timeline };
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
  process.stdout.write(`${cpus().length} CPUs, load ${load()}; a chain of ${links} \`true\` steps, ${reps} rounds (+1 warm-up), the ${nodeHost ? 'Node host' : 'host in C'}\n`);
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
  const cpuRows = [['engine', 'engine'], ['main', "engine's main thread"], ['host', 'host'], ['spawner', 'spawner']] as const;
  const cpuLabel = (label: string) => `CPU a link: ${label} (start-up included)`;
  const width = Math.max(...segments.map(([label]) => label.length), ...spreads.map((label) => label.length), ...cpuRows.map(([, label]) => cpuLabel(label).length));
  for (const label of [...segments.map(([label]) => label), ...spreads]) {
    const cells = results.map((result) => {
      const value = median(result.segments.map((run) => run[label]!));
      return (Number.isNaN(value) ? 'n/a' : value.toFixed(3)).padStart(8);
    });
    process.stdout.write(`  ${label.padEnd(width)} ${cells.join(' ')}\n`);
  }
  for (const [name, label] of cpuRows) {
    const cells = results.map((result) => median(result.cpu.map((run) => run[name] ?? Number.NaN)).toFixed(3).padStart(8));
    process.stdout.write(`  ${cpuLabel(label).padEnd(width)} ${cells.join(' ')}\n`);
  }
  for (const [i, tree] of trees.entries()) process.stdout.write(`  column ${i + 1}: ${tree}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
