/**
 * `npx tsx bench/spawn-cpu.bench.ts [--reps 5] [--layers 20] [--width 50] [--concurrency 2] [--photon DIR]...`:
 * the CPU each step of a 1,000-step layered DAG of `true` costs Photon's engine and its pty host,
 * beside what the bare node-pty loop (bench/lib/bare-spawn.mjs) costs for the same processes, in the
 * same run, interleaved. CPU is user + system from /proc/PID/stat (10 ms ticks), read every few
 * milliseconds while the process lives; the last reading is its total, start-up included for
 * both (node and node-pty load in the host as in the loop). Not a test: wall time says little on a
 * shared machine, CPU per step says where a step's price goes.
 *
 * `--photon DIR` (repeatable) compares checkouts: each DIR's bin/photon.js runs the same DAG, in
 * turn, so a change is measured against the code before it in one run (build each one's out/cli
 * first, or it runs through tsx). Default: this checkout.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { layeredDag, toWorkflow } from './lib/layered-dag.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '2' },
    layers: { type: 'string', default: '20' },
    width: { type: 'string', default: '50' },
    photon: { type: 'string', multiple: true },
  },
});
const reps = Number(values.reps);
const concurrency = Number(values.concurrency);
const repo = fileURLToPath(new URL('../', import.meta.url));
const trees = (values.photon ?? [repo]).map((dir) => resolve(dir));
const steps = layeredDag({ layers: Number(values.layers), width: Number(values.width), seed: 7 });
const work = mkdtempSync(join(tmpdir(), 'photon-spawn-cpu-'));
const dagFile = join(work, 'dag.json');
writeFileSync(dagFile, JSON.stringify(toWorkflow(steps, 'true')));
const tick = 1000 / 100;

function stat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * tick };
  } catch {
    return undefined;
  }
}

/** The child of `parentPid` whose command line (its arguments NUL-separated) passes `is`. */
function childWhere(parentPid: number, is: (commandLine: string) => boolean): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || stat(Number(entry))?.ppid !== parentPid) continue;
    try {
      if (is(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/** Runs the command; returns the last CPU readings of it and (when asked) of its pty host, with the host's spawner. */
function measure(file: string, args: string[], withHost: boolean): Promise<{ self: number; host: number; spawner: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let self = 0;
    let hostCpu = 0;
    let spawnerCpu = 0;
    let hostPid: number | undefined;
    let spawnerPid: number | undefined;
    const poll = setInterval(() => {
      self = stat(child.pid!)?.cpuMs ?? self;
      if (!withHost) return;
      // The Node host, or the host in C (photon-pty-spawner --host, which forks the programs itself).
      hostPid ??= childWhere(child.pid!, (commandLine) => commandLine.includes('pty-host-main') || commandLine.includes('photon-pty-spawner\0--host'));
      if (hostPid === undefined) return;
      hostCpu = stat(hostPid)?.cpuMs ?? hostCpu;
      // The host forks through photon-pty-spawner where it is built: its CPU is the host's price too.
      // Not its `--protocol` probe, nor a fork of the host that has not exec'd it yet.
      spawnerPid ??= childWhere(hostPid, (commandLine) => /^[^\0]*\/photon-pty-spawner\0$/.test(commandLine));
      if (spawnerPid !== undefined) spawnerCpu = stat(spawnerPid)?.cpuMs ?? spawnerCpu;
    }, 3);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${file} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
      else if (withHost && hostPid === undefined) reject(new Error(`no pty host seen under ${file} ${args.join(' ')} (pid ${child.pid})`));
      else resolvePromise({ self, host: hostCpu + spawnerCpu, spawner: spawnerCpu });
    });
  });
}

const perStep = (ms: number) => ms / steps.length;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const results = trees.map(() => ({ engine: [] as number[], host: [] as number[], spawner: [] as number[] }));
const bare: number[] = [];
const dataDirs = trees.map(() => mkdtempSync(join(tmpdir(), 'photon-spawn-cpu-data-')));
try {
  process.stdout.write(`${cpus().length} CPUs, load ${load()}; ${steps.length} steps of true, concurrency ${concurrency}, ${reps} reps (+1 warm-up)\n`);
  for (let rep = 0; rep <= reps; rep++) {
    const line: string[] = [];
    for (const [i, tree] of trees.entries()) {
      const run = await measure(process.execPath, [join(tree, 'bin', 'photon.js'), 'run', dagFile, '--concurrency', String(concurrency), '--data-dir', dataDirs[i]!], true);
      if (rep > 0) {
        results[i]!.engine.push(perStep(run.self));
        results[i]!.host.push(perStep(run.host));
        results[i]!.spawner.push(perStep(run.spawner));
      }
      line.push(`#${i} engine ${perStep(run.self).toFixed(2)} host ${perStep(run.host).toFixed(2)} (spawner ${perStep(run.spawner).toFixed(2)})`);
    }
    const loop = await measure(process.execPath, [join(repo, 'bench', 'lib', 'bare-spawn.mjs'), String(steps.length), String(concurrency)], false);
    if (rep > 0) bare.push(perStep(loop.self));
    process.stdout.write(`  ${rep === 0 ? 'warm-up' : `rep ${rep}`}: ${line.join(' | ')} | bare loop ${perStep(loop.self).toFixed(2)} ms/step (load ${load()})\n`);
  }
  process.stdout.write(`\nCPU per step, medians of ${reps} (ms; load now ${load()}):\n`);
  process.stdout.write(`  bare node-pty loop         ${median(bare).toFixed(3)}\n`);
  for (const [i, tree] of trees.entries()) {
    const host = median(results[i]!.host);
    process.stdout.write(`  #${i} ${tree}\n     pty host ${host.toFixed(3)} (${(host / median(bare)).toFixed(2)}x the bare loop, +${(host - median(bare)).toFixed(3)}; its spawner ${median(results[i]!.spawner).toFixed(3)} of it)   engine ${median(results[i]!.engine).toFixed(3)}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
