/**
 * `npm run bench`: a 1,000-step layered DAG of `true` commands (20 layers x 50, each step on 2-3
 * steps of the layer before), timed three ways at the same concurrency:
 *   - `photon run` as a user runs it: the whole CLI process, wall time, its progress piped;
 *   - `make -jN` on the same graph;
 *   - a bare loop that only spawns the same `$SHELL -c true` processes through node-pty.
 * and a chain of 300 `true` steps, each depending on the one before (latency: every link waits for
 * the last to end), timed as `photon run` beside a shell loop that starts the same 300
 * `$SHELL -c true` commands one after another, and beside the bare node-pty loop starting them one
 * at a time (each in its own terminal, as Photon's steps are).
 * Each is repeated (default 5, interleaved) and the medians and ratios printed. Not a test.
 *
 * Goals (issue 17): the DAG within 1.3x of the bare loop, the chain within 2x of the shell loop.
 * Options: --reps N, --concurrency N, --layers N, --width N, --chain N (0 leaves the chain out),
 * --data-dir DIR (photon's data folder;
 * default a fresh one under the system's temporary folder, on the same disk as a user's).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chainDag, layeredDag, toMakefile, toWorkflow } from './lib/layered-dag.js';
import { median, seconds, timeProcess, type Timed } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '2' },
    layers: { type: 'string', default: '20' },
    width: { type: 'string', default: '50' },
    chain: { type: 'string', default: '300' },
    'data-dir': { type: 'string' },
  },
});
const reps = Number(values.reps);
const concurrency = Number(values.concurrency);
const shape = { layers: Number(values.layers), width: Number(values.width), seed: 7 };
const chainLength = Number(values.chain);

const repo = fileURLToPath(new URL('../', import.meta.url));
const photonBin = join(repo, 'bin', 'photon.js');
const bareScript = join(repo, 'bench', 'lib', 'bare-spawn.mjs');
const shell = process.env.SHELL || '/bin/sh';

const work = mkdtempSync(join(tmpdir(), 'photon-bench-'));
const dataDir = values['data-dir'] ? mkdtempSync(join(values['data-dir'], 'photon-bench-data-')) : join(work, 'data');
const steps = layeredDag(shape);
const dagFile = join(work, 'dag.json');
writeFileSync(dagFile, JSON.stringify(toWorkflow(steps, 'true')));
writeFileSync(join(work, 'Makefile'), toMakefile(steps, shell));
const chainFile = join(work, 'chain.json');
writeFileSync(chainFile, JSON.stringify(toWorkflow(chainDag(chainLength), 'true')));

function check(what: string, result: Timed): Timed {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  return result;
}

const contenders = {
  photon: () => timeProcess(process.execPath, [photonBin, 'run', dagFile, '--concurrency', String(concurrency), '--data-dir', dataDir], { cwd: work }),
  make: () => timeProcess('make', [`-j${concurrency}`, '-s', '-f', 'Makefile'], { cwd: work }),
  bare: () => timeProcess(process.execPath, [bareScript, String(steps.length), String(concurrency)], { cwd: work }),
  photonChain: () => timeProcess(process.execPath, [photonBin, 'run', chainFile, '--concurrency', String(concurrency), '--data-dir', dataDir], { cwd: work }),
  // The same commands, one after another, as a script would start them.
  shellChain: () => timeProcess('/bin/sh', ['-c', `i=0; while [ $i -lt ${chainLength} ]; do "$0" -c true; i=$((i+1)); done`, shell], { cwd: work }),
  // And through node-pty, one at a time: the floor of any chain whose steps each get a terminal.
  bareChain: () => timeProcess(process.execPath, [bareScript, String(chainLength), '1'], { cwd: work }),
};
type Name = keyof typeof contenders;
const names = (Object.keys(contenders) as Name[]).filter((name) => chainLength > 0 || !name.endsWith('Chain'));

/** The run's own time as the engine recorded it: from its start to its end, without process start-up. */
async function lastRunEngineMs(stepCount: number): Promise<number> {
  const listed = check('photon runs', await timeProcess(process.execPath, [photonBin, 'runs', '--limit', '1', '--json', '--data-dir', dataDir], { cwd: work }));
  const [run] = JSON.parse(listed.stdout) as { status: string; startedAt: string; finishedAt: string; counts: { succeeded: number } }[];
  if (!run || run.status !== 'succeeded' || run.counts.succeeded !== stepCount) throw new Error(`photon's run did not succeed: ${JSON.stringify(run)}`);
  return Date.parse(run.finishedAt) - Date.parse(run.startedAt);
}

try {
  process.stdout.write(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; photon's data folder: ${dataDir}\n`);
  process.stdout.write(`Layered DAG: ${steps.length} steps (${shape.layers} layers x ${shape.width}), \`${shell} -c true\` each, concurrency ${concurrency}, ${reps} repetitions\n`);
  if (chainLength > 0) process.stdout.write(`Chain: ${chainLength} steps of \`${shell} -c true\`, each on the one before, beside a shell loop starting the same commands\n`);
  process.stdout.write('warming up (one untimed run of each)…\n');
  for (const name of names) check(name, await contenders[name]());

  const wall: Record<Name, number[]> = { photon: [], make: [], bare: [], photonChain: [], shellChain: [], bareChain: [] };
  const photonEngine: number[] = [];
  const chainEngine: number[] = [];
  const bareLoop: number[] = [];
  const photonStartup: number[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    for (const name of names) {
      const result = check(name, await contenders[name]());
      wall[name].push(result.ms);
      if (name === 'photon') photonEngine.push(await lastRunEngineMs(steps.length));
      if (name === 'photonChain') chainEngine.push(await lastRunEngineMs(chainLength));
      if (name === 'bare') bareLoop.push(Number(result.stdout.trim()));
    }
    // Start-up alone: node, tsx, the CLI and the workflow's validation, without an engine or a run.
    photonStartup.push(check('photon validate', await timeProcess(process.execPath, [photonBin, 'validate', dagFile], { cwd: work })).ms);
    const chainNote = chainLength > 0 ? `  | chain: photon ${seconds(wall.photonChain.at(-1)!)}  shell loop ${seconds(wall.shellChain.at(-1)!)}  node-pty loop ${seconds(wall.bareChain.at(-1)!)}` : '';
    process.stdout.write(`  rep ${rep}: photon ${seconds(wall.photon.at(-1)!)}  make ${seconds(wall.make.at(-1)!)}  bare ${seconds(wall.bare.at(-1)!)}${chainNote}\n`);
  }

  const m = { photon: median(wall.photon), make: median(wall.make), bare: median(wall.bare), ...(chainLength > 0 ? { photonChain: median(wall.photonChain), shellChain: median(wall.shellChain), bareChain: median(wall.bareChain) } : {}) };
  const rows: [string, number][] = [
    [`photon run --concurrency ${concurrency} (whole CLI process)`, m.photon],
    [`make -j${concurrency}`, m.make],
    [`bare node-pty spawn loop, concurrency ${concurrency} (whole process)`, m.bare],
    ['  photon: the run itself, as the engine recorded it', median(photonEngine)],
    ['  photon: start-up alone (`photon validate` on the same file)', median(photonStartup)],
    ['  bare loop: the loop itself, without node start-up', median(bareLoop)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`\nMedians of ${reps}:\n`);
  for (const [label, ms] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${seconds(ms).padStart(8)}  (${(ms / steps.length).toFixed(2)} ms/step)\n`);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  process.stdout.write(`\n  photon / bare = ${ratio(m.photon, m.bare)}   (goal: at most 1.30)\n`);
  process.stdout.write(`  photon / make = ${ratio(m.photon, m.make)}\n`);
  process.stdout.write(`  photon run only / bare loop only = ${ratio(median(photonEngine), median(bareLoop))}\n`);
  if (chainLength > 0) {
    const chain = { photon: median(wall.photonChain), shell: median(wall.shellChain), bare: median(wall.bareChain), engine: median(chainEngine) };
    process.stdout.write(`\nChain of ${chainLength}, medians of ${reps}:\n`);
    process.stdout.write(`  photon run (whole CLI process)       ${seconds(chain.photon).padStart(8)}  (${(chain.photon / chainLength).toFixed(2)} ms/link)\n`);
    process.stdout.write(`    the run itself, as the engine says ${seconds(chain.engine).padStart(8)}  (${(chain.engine / chainLength).toFixed(2)} ms/link)\n`);
    process.stdout.write(`  shell loop                           ${seconds(chain.shell).padStart(8)}  (${(chain.shell / chainLength).toFixed(2)} ms/link)\n`);
    process.stdout.write(`  bare node-pty loop, one at a time    ${seconds(chain.bare).padStart(8)}  (${(chain.bare / chainLength).toFixed(2)} ms/link)\n`);
    process.stdout.write(`  photon / shell loop = ${ratio(chain.photon, chain.shell)}   (goal: at most 2.00)\n`);
    process.stdout.write(`  bare node-pty loop / shell loop = ${ratio(chain.bare, chain.shell)}   (what a terminal per step costs before Photon adds anything)\n`);
  }

  const resultsDir = join(repo, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `dag-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), shape, steps: steps.length, concurrency, reps, wallMs: wall, photonEngineMs: photonEngine, photonStartupMs: photonStartup, bareLoopMs: bareLoop, chainLength, chainEngineMs: chainEngine, medians: m }, null, 2)}\n`);
  process.stdout.write(`\nraw figures: ${file}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
