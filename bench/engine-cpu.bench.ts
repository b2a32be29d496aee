/**
 * `npx tsx bench/engine-cpu.bench.ts [--builds out/cli,out/cli-other] [--reps 5]`: what the engine
 * itself spends per step of a big DAG, in CPU, beside the wall time against the bare node-pty loop.
 *
 * For each build of the command line (scripts/build-cli.js's buildCli(DIR); default out/cli), and
 * interleaved rep by rep with the others and with the bare loop:
 *   - `photon run` of the 1,000-step layered DAG of `true` (bench/dag.bench.ts's graph) and of a
 *     one-step workflow; the CPU of the photon process alone (user + system, all its threads, from
 *     process.cpuUsage at its exit: not the pty host, not the steps). The engine's CPU per step is
 *     the difference over the 999 extra steps, so start-up and shutdown fall out.
 *   - the bare node-pty loop on the same 1,000 processes (bench/lib/bare-spawn.mjs), its wall time
 *     and its own CPU.
 * Prints medians and the load average. Several builds side by side compare code before and after
 * a change on the same loaded machine. `--v8-flags=FLAGS` (once per build, in order) runs that
 * build's engine under those V8 flags instead of bin/run-built.js's (PHOTON_RUN_V8_FLAGS; '' for
 * none): give each its own copy of the build (`cp -r out/cli out/cli-b`), as a code cache made under
 * other flags is refused and made again. Not a test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chainDag, layeredDag, toWorkflow } from './lib/layered-dag.js';
import { median, timeProcess } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    builds: { type: 'string', default: 'out/cli' },
    'v8-flags': { type: 'string', multiple: true },
    reps: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '2' },
    layers: { type: 'string', default: '20' },
    width: { type: 'string', default: '50' },
  },
});
const repo = fileURLToPath(new URL('../', import.meta.url));
const builds = values.builds.split(',').map((dir) => resolve(repo, dir));
const v8Flags = values['v8-flags'] ?? [];
if (v8Flags.length > builds.length) throw new Error(`--v8-flags: ${v8Flags.length} given for ${builds.length} builds; give one per build, in the order of --builds`);
/** A build's name in the figures, with the V8 flags it runs under when they were given. */
const label = (build: string) => build.slice(repo.length) + (v8Flags[builds.indexOf(build)] === undefined ? '' : ` [${v8Flags[builds.indexOf(build)] || 'no flags'}]`);
const reps = Number(values.reps);
const concurrency = String(values.concurrency);
const steps = layeredDag({ layers: Number(values.layers), width: Number(values.width), seed: 7 });

const work = mkdtempSync(join(tmpdir(), 'photon-engine-cpu-'));
const dagFile = join(work, 'dag.json');
const oneFile = join(work, 'one.json');
writeFileSync(dagFile, JSON.stringify(toWorkflow(steps, 'true')));
writeFileSync(oneFile, JSON.stringify(toWorkflow(chainDag(1), 'true')));
const usageFile = join(work, 'cpu.jsonl');
const preload = new URL('./lib/cpu-usage-at-exit.mjs', import.meta.url).href;
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(), PHOTON_CPU_USAGE_FILE: usageFile };

/** Runs one process; returns its wall time and the CPU (ms) its preload recorded. */
async function measured(file: string, args: string[], flags?: string): Promise<{ wallMs: number; cpuMs: number; stdout: string }> {
  rmSync(usageFile, { force: true });
  const result = await timeProcess(file, args, { cwd: work, env: flags === undefined ? env : { ...env, PHOTON_RUN_V8_FLAGS: flags } });
  if (result.code !== 0) throw new Error(`${args.join(' ')} exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  const lines = readFileSync(usageFile, 'utf8').trim().split('\n');
  // The first line written is the measured process's own (its children, node too, append theirs at their own exits, earlier).
  const own = lines.map((line) => JSON.parse(line) as { argv: string[]; user: number; system: number }).find((usage) => usage.argv[0] === args[0])!;
  return { wallMs: result.ms, cpuMs: (own.user + own.system) / 1000, stdout: result.stdout };
}

const photon = (build: string, workflow: string, dataDir: string) =>
  measured(process.execPath, [join(repo, 'bench', 'lib', 'run-built-cli.mjs'), build, 'run', workflow, '--concurrency', concurrency, '--data-dir', dataDir], v8Flags[builds.indexOf(build)]);
const bare = () => measured(process.execPath, [join(repo, 'bench', 'lib', 'bare-spawn.mjs'), String(steps.length), concurrency]);

interface Figures {
  dagWall: number[];
  dagCpu: number[];
  oneCpu: number[];
}

try {
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  process.stdout.write(`machine: ${cpus().length} CPUs, load average ${load()}\n`);
  process.stdout.write(`${steps.length}-step layered DAG of \`true\`, concurrency ${concurrency}, ${reps} reps; builds: ${builds.join(', ')}\n`);
  const figures = new Map<string, Figures>(builds.map((build) => [build, { dagWall: [], dagCpu: [], oneCpu: [] }]));
  const bareWall: number[] = [];
  const bareCpu: number[] = [];
  const loads: number[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    // Rep 0 warms the disk cache and the build's modules; it is not counted.
    const counted = rep > 0;
    const line: string[] = [];
    for (const build of builds) {
      const dataDir = mkdtempSync(join(work, 'data-'));
      const dag = await photon(build, dagFile, dataDir);
      const one = await photon(build, oneFile, dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      if (counted) {
        const f = figures.get(build)!;
        f.dagWall.push(dag.wallMs);
        f.dagCpu.push(dag.cpuMs);
        f.oneCpu.push(one.cpuMs);
      }
      line.push(`${label(build)}: ${(dag.wallMs / 1000).toFixed(2)} s, cpu ${(dag.cpuMs / 1000).toFixed(2)} s (one step ${(one.cpuMs / 1000).toFixed(2)} s)`);
    }
    const loop = await bare();
    if (counted) {
      bareWall.push(loop.wallMs);
      bareCpu.push(loop.cpuMs);
      loads.push(loadavg()[0]!);
    }
    process.stdout.write(`  ${counted ? `rep ${rep}` : 'warm-up'}: ${line.join('; ')}; bare ${(loop.wallMs / 1000).toFixed(2)} s, cpu ${(loop.cpuMs / 1000).toFixed(2)} s; load ${load()}\n`);
  }
  process.stdout.write(`\nMedians of ${reps} (load average over the reps ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}):\n`);
  process.stdout.write(`  bare node-pty loop: wall ${(median(bareWall) / 1000).toFixed(2)} s, its CPU ${(median(bareCpu) / steps.length).toFixed(2)} ms/step\n`);
  for (const [build, f] of figures) {
    const perStep = f.dagCpu.map((cpu, i) => (cpu - f.oneCpu[i]!) / (steps.length - 1));
    const ratios = f.dagWall.map((wall, i) => wall / bareWall[i]!);
    process.stdout.write(
      `  ${label(build)}: engine CPU ${median(perStep).toFixed(3)} ms/step (whole process ${(median(f.dagCpu) / 1000).toFixed(2)} s, one-step run ${(median(f.oneCpu) / 1000).toFixed(2)} s); wall ${(median(f.dagWall) / 1000).toFixed(2)} s = ${median(ratios).toFixed(2)}x the bare loop (median of the reps' ratios)\n`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
