/**
 * CPU time of processes and of the whole machine from /proc (Linux), for benchmarks that say where
 * a flood's work goes: which process spent it, and what the machine's other work took meanwhile.
 * Times are in ms; /proc counts them in ticks of 10 ms (USER_HZ 100).
 */
import { readdirSync, readFileSync } from 'node:fs';

const tickMs = 10;

/** The fields of /proc/PID/stat after the command's name: [0] state, [1] ppid, [2] pgrp, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** CPU (user + system) a process has used itself; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * tickMs : 0;
}

/**
 * CPU a process has used with that of its children it has waited for: a shell's pipeline (`head |
 * base64`) is counted there once it ends.
 */
export function processTreeCpuMs(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tickMs : 0;
}

/** CPU used by every process of a process group (a browser's processes share its group). */
export function processGroupCpuMs(pgid: number): number {
  let total = 0;
  for (const pid of pids()) {
    const fields = statFields(pid);
    if (fields && Number(fields[2]) === pgid) total += (Number(fields[11]) + Number(fields[12])) * tickMs;
  }
  return total;
}

/** The children of `parent` whose command line matches `pattern`. */
export function childrenOf(parent: number, pattern: RegExp): number[] {
  const found: number[] = [];
  for (const pid of pids()) {
    const fields = statFields(pid);
    if (!fields || Number(fields[1]) !== parent) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '))) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** CPU the whole machine spent busy (everything but idle and I/O wait), over all its cores. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) * tickMs;
}

/**
 * CPU used so far by each thread of a process group, keyed `kind/thread`: the process's kind from
 * its command line (Chromium's `--type=`, its utility's sub-type: `browser`, `renderer`,
 * `gpu-process`, `network`, ...) and the thread's name (`CrRendererMain`, `Compositor`,
 * `Chrome_ChildIOThread`, ...). Threads that ended meanwhile are not counted, so the total can be
 * below processGroupCpuMs's; the split says which process and thread of a browser did the work.
 */
export function groupThreadsCpuMs(pgid: number): Map<string, number> {
  const byThread = new Map<string, number>();
  for (const pid of pids()) {
    const fields = statFields(pid);
    if (!fields || Number(fields[2]) !== pgid) continue;
    let kind = 'browser';
    try {
      // Chromium rewrites its children's command lines into one string: split on spaces too.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      const type = args.find((arg) => arg.startsWith('--type='))?.slice(7);
      const sub = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice(19);
      if (type) kind = sub ? (/network/i.test(sub) ? 'network' : sub.replace(/\.mojom\..*/, '')) : type;
    } catch {
      continue;
    }
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${kind}/${name}`;
        byThread.set(key, (byThread.get(key) ?? 0) + (Number(rest[11]) + Number(rest[12])) * tickMs);
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return byThread;
}

/** What each `kind/thread` of groupThreadsCpuMs spent between two readings (those that spent anything). */
export function threadsSpent(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const [key, ms] of after) {
    const delta = ms - (before.get(key) ?? 0);
    if (delta > 0) spent[key] = delta;
  }
  return spent;
}
