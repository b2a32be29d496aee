/**
 * Where a terminal flood's CPU goes and what the machine's cores allow, from bench/terminal.bench.ts's
 * repetitions. On a machine of few cores every ms the pipeline (engine, pty host) spends per MB
 * is taken from xterm's share, so end to end as a fraction of xterm alone is bounded by the cores
 * before Photon's code has any say: the bound shows how much of the gap is the machine.
 */
import { median } from './measure.js';
import { childrenOf, machineBusyMs, processCpuMs, processTreeCpuMs } from './proc-cpu.js';

/** One repetition's figures, CPU in ms. */
export interface FloodCpuRun {
  chars: number;
  /** The flood's duration, end to end. */
  ms: number;
  cpu: { engine: number; host: number; producer: number; chromium: number | null; others: number | null };
  xterm: { ms: number; mbPerSecond: number; chromiumCpuMs: number | null };
  pacedChromiumCpuMs: number | null;
}

export interface FloodCpuMedians {
  engineMsPerMb: number;
  hostMsPerMb: number;
  producerMsPerMb: number;
  chromiumMsPerMb: number | null;
  xtermChromiumMsPerMb: number | null;
  pacedChromiumMsPerMb: number | null;
  /** What `cores` carry at end to end's CPU per MB (everything: Chromium, engine, host, producer), as a fraction of xterm alone's speed. */
  coresBound: number | null;
  /** The same with the engine and host costing nothing: what no change to Photon's pipeline can pass. */
  coresBoundWithoutPipeline: number | null;
  /**
   * The same with Chromium costing per MB only what xterm alone cost it (no socket, no frames beyond
   * xterm alone's): the most any change to the page can reach, its pipeline and producer as they are.
   */
  coresBoundAtXtermCost: number | null;
  /** `coresBound` on the cores the machine's other work left free during the flood. */
  freeCoresBound: number | null;
  /** Cores xterm alone kept busy (Chromium's CPU over its time). */
  xtermCores: number | null;
  /** Cores the rest of the machine (other people's work) used during the flood. */
  othersCores: number | null;
}

const perMb = (ms: number, run: FloodCpuRun) => ms / (run.chars / 1e6);

/** Median over the runs of `pick`, or null when any run has no figure (Chromium through Playwright). */
function medianOf(runs: FloodCpuRun[], pick: (run: FloodCpuRun) => number | null): number | null {
  const values = runs.map(pick);
  return values.every((value) => value !== null) ? median(values as number[]) : null;
}

export function floodCpuMedians(runs: FloodCpuRun[], cores: number): FloodCpuMedians {
  // What `cores` fully busy would carry at `msPerMb`, against xterm alone in the same repetition.
  const bound = (run: FloodCpuRun, msPerMb: number) => (cores * 1000) / msPerMb / run.xterm.mbPerSecond;
  return {
    engineMsPerMb: median(runs.map((run) => perMb(run.cpu.engine, run))),
    hostMsPerMb: median(runs.map((run) => perMb(run.cpu.host, run))),
    producerMsPerMb: median(runs.map((run) => perMb(run.cpu.producer, run))),
    chromiumMsPerMb: medianOf(runs, (run) => (run.cpu.chromium === null ? null : perMb(run.cpu.chromium, run))),
    xtermChromiumMsPerMb: medianOf(runs, (run) => (run.xterm.chromiumCpuMs === null ? null : perMb(run.xterm.chromiumCpuMs, run))),
    pacedChromiumMsPerMb: medianOf(runs, (run) => (run.pacedChromiumCpuMs === null ? null : perMb(run.pacedChromiumCpuMs, run))),
    coresBound: medianOf(runs, (run) => (run.cpu.chromium === null ? null : bound(run, perMb(run.cpu.chromium + run.cpu.engine + run.cpu.host + run.cpu.producer, run)))),
    coresBoundWithoutPipeline: medianOf(runs, (run) => (run.cpu.chromium === null ? null : bound(run, perMb(run.cpu.chromium + run.cpu.producer, run)))),
    coresBoundAtXtermCost: medianOf(runs, (run) =>
      run.xterm.chromiumCpuMs === null ? null : bound(run, perMb(run.xterm.chromiumCpuMs + run.cpu.engine + run.cpu.host + run.cpu.producer, run)),
    ),
    freeCoresBound: medianOf(runs, (run) =>
      run.cpu.chromium === null || run.cpu.others === null
        ? null
        : (cores - run.cpu.others / run.ms) * (bound(run, perMb(run.cpu.chromium + run.cpu.engine + run.cpu.host + run.cpu.producer, run)) / cores),
    ),
    xtermCores: medianOf(runs, (run) => (run.xterm.chromiumCpuMs === null ? null : run.xterm.chromiumCpuMs / run.xterm.ms)),
    othersCores: medianOf(runs, (run) => (run.cpu.others === null ? null : run.cpu.others / run.ms)),
  };
}

/** The medians as the benchmark prints them. */
export function floodCpuLines(m: FloodCpuMedians, cores: number): string[] {
  const ms = (value: number | null) => (value === null ? 'not measured' : `${value.toFixed(1)} ms`);
  const lines = [
    `  CPU per MB     pipeline: engine ${ms(m.engineMsPerMb)}, pty host ${ms(m.hostMsPerMb)}; producer (cat or head | base64, and its shell) ${ms(m.producerMsPerMb)}`,
    `                 Chromium ${ms(m.chromiumMsPerMb)} end to end, ${ms(m.xtermChromiumMsPerMb)} xterm alone, ${ms(m.pacedChromiumMsPerMb)} xterm alone paced over the flood's time`,
  ];
  if (m.coresBound !== null && m.coresBoundWithoutPipeline !== null) {
    lines.push(
      `  ${cores}-core bound   at end to end's CPU per MB, ${cores} cores fully busy carry ${m.coresBound.toFixed(2)} of xterm alone's speed; ` +
        `${m.coresBoundWithoutPipeline.toFixed(2)} with the engine and pty host free (above 1: the cores are not the limit)`,
    );
  }
  if (m.coresBoundAtXtermCost !== null) {
    lines.push(
      `                 with Chromium at xterm alone's CPU per MB (the page's ceiling, engine, host and producer as they are) ` +
        `${cores} cores fully busy carry ${m.coresBoundAtXtermCost.toFixed(2)}`,
    );
  }
  if (m.xtermCores !== null && m.othersCores !== null && m.freeCoresBound !== null) {
    lines.push(
      `                 other work on the machine took ${m.othersCores.toFixed(2)} cores during the flood: the cores it left carry ${m.freeCoresBound.toFixed(2)}; ` +
        `xterm alone kept ${m.xtermCores.toFixed(2)} cores busy`,
    );
  }
  return lines;
}

/**
 * The CPU (ms) of everything that carries a flood, from the program to the page: the engine, its
 * pty host (the child that reads the terminals' output and streams it to the engine), the shell
 * with the pipeline it waited for (the producer: cat, or head | base64), Chromium, and the machine as a
 * whole (whose rest is other people's work on a shared machine).
 */
export interface FloodCpuSnapshot {
  engine: number;
  host: number;
  producer: number;
  chromium: number | null;
  machine: number;
}

/** The snapshot now; `chromiumMs` is Chromium's CPU so far, as the page's driver can read it (null when it cannot). */
export function floodCpuSnapshot(enginePid: number, chromiumMs: number | null): FloodCpuSnapshot {
  const host = ptyHostPid(enginePid);
  // The shell is the host's child with node-pty, its spawner's (photon-pty-spawner) otherwise.
  const starters = host === null ? [] : [host, ...childrenOf(host, /photon-pty-spawner/)];
  const shells = starters.flatMap((starter) => childrenOf(starter, /bash/));
  return {
    engine: processCpuMs(enginePid),
    host: host === null ? 0 : processCpuMs(host),
    producer: shells.reduce((sum, shell) => sum + processTreeCpuMs(shell), 0),
    chromium: chromiumMs,
    machine: machineBusyMs(),
  };
}

/** What each part spent between two snapshots; `others`: the rest of the machine (null when Chromium's CPU is unknown). */
export function floodCpuSpent(before: FloodCpuSnapshot, after: FloodCpuSnapshot): FloodCpuRun['cpu'] {
  const engine = after.engine - before.engine;
  const host = after.host - before.host;
  const producer = after.producer - before.producer;
  const chromium = before.chromium === null || after.chromium === null ? null : after.chromium - before.chromium;
  const others = chromium === null ? null : Math.max(0, after.machine - before.machine - engine - host - producer - chromium);
  return { engine, host, producer, chromium, others };
}

/** The engine's pty host: its child whose command line names pty-host-main, or photon-pty-spawner --host (the host in C). */
export function ptyHostPid(enginePid: number): number | null {
  return childrenOf(enginePid, /pty-host-main|photon-pty-spawner --host/)[0] ?? null;
}

/** The engine's pty host when it is the Node one (pty-host-main.js), which V8's profiler can watch. */
export function nodePtyHostPid(enginePid: number): number | null {
  return childrenOf(enginePid, /pty-host-main/)[0] ?? null;
}
