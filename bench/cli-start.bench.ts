/**
 * `npx tsx bench/cli-start.bench.ts [--reps N]`: how long `photon` takes from spawn to exit, as a
 * script or CI calls it, against `node -e 0` in the same run. Four commands, interleaved round by
 * round so a change in the machine's load touches all of them alike:
 *   - `node -e 0`: the floor, Node's own start;
 *   - `photon --help`;
 *   - `photon validate FILE` of a one-step workflow;
 *   - `photon run FILE` of a one-step `true` workflow (a fresh data folder each time);
 * and, once, `photon --help` from the sources through tsx (PHOTON_CLI_FROM_SOURCE=1), what every
 * start cost before the command line was built ahead of time. Medians of N (default 9) printed
 * beside the floor, raw figures in bench/results/cli-start-*.json. Goals (issue 17): --help under
 * 150 ms and the one-step run under 350 ms. Not a test.
 *
 * `--compare DIR` (repeatable) adds another checkout's `photon --help` and one-step run to the same
 * rounds (e.g. a `git worktree add` of the base with its node_modules): an A/B in one run.
 *
 * It builds the command line first (each checkout's), and again whenever a source changes during
 * the run (a figure taken while a build was stale, when bin/photon.js ran the sources through tsx,
 * is taken again).
 * Each figure is of a start from V8's code cache (bin/run-built.js), as every start but a build's
 * first is: after a build, each command runs once uncounted, which makes its cache.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ownBuild from '../scripts/build-cli.js';
import { median, timeProcess } from './lib/measure.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '9' }, compare: { type: 'string', multiple: true, default: [] } } });
const reps = Number(values.reps);
const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin', 'photon.js');
/** This checkout's build, and each compared one's (its own scripts/build-cli.js, which builds its own out/cli). */
const builds: { buildCli: () => Promise<unknown>; buildIsCurrent: () => boolean }[] = [ownBuild];
for (const dir of values.compare) builds.push((await import(pathToFileURL(resolve(dir, 'scripts', 'build-cli.js')).href)) as (typeof builds)[number]);
const allCurrent = () => builds.every((build) => build.buildIsCurrent());
const work = mkdtempSync(join(tmpdir(), 'photon-cli-bench-'));
const file = join(work, 'one.json');
writeFileSync(file, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));

// Always from a build of the sources as they are now (bin/photon.js would otherwise fall back to tsx).
for (const build of builds) await build.buildCli();

const env = { ...process.env };
delete env.PHOTON_CLI_FROM_SOURCE;
let runNumber = 0;
const cases: Record<string, () => [string, string[], NodeJS.ProcessEnv?]> = {
  'node -e 0': () => [process.execPath, ['-e', '0']],
  'photon --help': () => [process.execPath, [bin, '--help']],
  'photon validate': () => [process.execPath, [bin, 'validate', file]],
  'photon run (1 step)': () => [process.execPath, [bin, 'run', file, '--data-dir', join(work, `data-${runNumber++}`)]],
  'photon --help from sources (tsx)': () => [process.execPath, [bin, '--help'], { ...env, PHOTON_CLI_FROM_SOURCE: '1' }],
};
for (const dir of values.compare) {
  const otherBin = join(resolve(dir), 'bin', 'photon.js');
  cases[`${dir}: photon --help`] = () => [process.execPath, [otherBin, '--help']];
  cases[`${dir}: photon run (1 step)`] = () => [process.execPath, [otherBin, 'run', file, '--data-dir', join(work, `data-${runNumber++}`)]];
}
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
const load = [loadavg()[0]!];

try {
  // One warm-up round (file cache, and each command's code cache), not counted.
  for (const make of Object.values(cases)) {
    const [command, args, caseEnv] = make();
    await timeProcess(command, args, { cwd: work, env: caseEnv ?? env });
  }
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, make] of Object.entries(cases)) {
      let result;
      for (;;) {
        if (!allCurrent()) {
          for (const build of builds) if (!build.buildIsCurrent()) await build.buildCli();
          for (const again of Object.values(cases)) {
            const [command, args, caseEnv] = again();
            await timeProcess(command, args, { cwd: work, env: caseEnv ?? env });
          }
        }
        const [command, args, caseEnv] = make();
        result = await timeProcess(command, args, { cwd: work, env: caseEnv ?? env });
        if (allCurrent()) break;
      }
      if (result.code !== 0) throw new Error(`${name} exited with ${result.code}: ${result.stderr}`);
      times[name]!.push(result.ms);
    }
    load.push(loadavg()[0]!);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const floor = median(times['node -e 0']!);
console.log(`photon start-up, medians of ${reps} (interleaved), ${availableParallelism()} CPUs, load average ${median(load).toFixed(1)}:`);
for (const [name, values] of Object.entries(times)) {
  const m = median(values);
  const goal = name.endsWith('photon --help') ? ' (goal < 150 ms)' : name.endsWith('photon run (1 step)') ? ' (goal < 350 ms)' : '';
  console.log(`  ${name.padEnd(Math.max(34, ...Object.keys(times).map((key) => key.length)))} ${m.toFixed(0).padStart(5)} ms  ${name === 'node -e 0' ? '' : `${(m / floor).toFixed(1)}x node -e 0, +${(m - floor).toFixed(0)} ms`}${goal}`);
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const out = join(root, 'bench', 'results', `cli-start-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ reps, loadAverage: load, times }, null, 1)}\n`);
console.log(`raw figures: ${out}`);
