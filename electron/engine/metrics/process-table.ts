import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/** One process as the sampler needs it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  rssBytes: number;
  /**
   * Linux: CPU ticks used by the process and by its children it has reaped. Summed over a tree this
   * only grows: a child's time moves into its parent's when it is reaped, so short-lived children
   * (a `sleep` in a loop) are counted too and nothing twice.
   */
  cpuTicks?: number;
  /** Linux: when it started, in ticks since boot. */
  startTicks?: number;
  /** ps: CPU percent as ps reports it (macOS: a decaying average, as Activity Monitor shows). */
  cpuPercent?: number;
  /** Linux: its command name (the kernel's, at most 15 characters). */
  name?: string;
  /** Linux: its process group, its terminal's foreground process group, and its state letter. */
  pgrp?: number;
  tpgid?: number;
  state?: string;
  /** Linux: how many threads it runs (each keeps its own list of the children it started). */
  threads?: number;
}

export interface ProcessTable {
  entries: Map<number, ProcessEntry>;
  children: Map<number, number[]>;
  /** Linux: ticks since boot when the table was read, to turn tick deltas into percentages. */
  uptimeTicks?: number;
}

/**
 * Clock ticks per second in every /proc time: USER_HZ, which the kernel fixes at 100 for
 * userspace on every architecture Node runs on (sysconf(_SC_CLK_TCK) answers the same).
 */
export const ticksPerSecond = 100;

/** Every process on a Linux machine, from /proc/<pid>/stat (one read a process gives parent, times and memory). */
export function readProcTable(pageSize: number): ProcessTable {
  const uptimeTicks = Math.round(Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]) * ticksPerSecond);
  const entries = new Map<number, ProcessEntry>();
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    let text: string;
    try {
      text = readStat(`/proc/${name}/stat`);
    } catch {
      continue; // It ended between the listing and the read.
    }
    const entry = parseProcStat(text, pageSize);
    if (entry) entries.set(entry.pid, entry);
  }
  return { entries, children: childrenOf(entries), uptimeTicks };
}

/**
 * The processes of the trees under `roots` and nothing else, each found in its parent's lists of
 * children (/proc/PID/task/TID/children): all the sampler measures. Reading every process on the
 * machine once a second (readProcTable) cost the engine's main thread a read a process, whatever
 * ran: at about 12 us a read, 6 ms a second on a machine running 500 processes, and a step ending
 * meanwhile waited for it. Undefined when the kernel keeps no such lists (built without
 * CONFIG_PROC_CHILDREN): then the whole table is to be read.
 */
export function readProcTrees(pageSize: number, roots: readonly number[]): ProcessTable | undefined {
  if (!childrenListed()) return undefined;
  const uptimeTicks = Math.round(Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]) * ticksPerSecond);
  const entries = new Map<number, ProcessEntry>();
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const pid = queue[i]!;
    if (entries.has(pid)) continue;
    let entry: ProcessEntry | undefined;
    try {
      entry = parseProcStat(readStat(`/proc/${pid}/stat`), pageSize);
    } catch {
      continue; // It ended before it was read.
    }
    if (!entry) continue;
    entries.set(pid, entry);
    queue.push(...listedChildren(pid, entry.threads ?? 0));
  }
  return { entries, children: childrenOf(entries), uptimeTicks };
}

let listsChildren: boolean | undefined;
function childrenListed(): boolean {
  listsChildren ??= existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  return listsChildren;
}

/** The children a process's threads started (a child is listed by the thread that forked it). */
function listedChildren(pid: number, threads: number): number[] {
  let tids: string[];
  try {
    tids = threads === 1 ? [String(pid)] : readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // It ended meanwhile.
  }
  const children: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readStat(`/proc/${pid}/task/${tid}/children`);
    } catch {
      continue;
    }
    for (const child of text.split(' ')) if (child !== '') children.push(Number(child));
  }
  return children;
}

const statBuffer = Buffer.alloc(4096);

/**
 * A stat line (well under a kilobyte) into one reused buffer: half the CPU of readFileSync, which
 * also asks the file's size and allocates per call, and this runs for every process every second.
 */
function readStat(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    // A stat line always fits; a list of thousands of children may not.
    return length < statBuffer.length ? statBuffer.toString('latin1', 0, length) : readFileSync(path, 'latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * One /proc/<pid>/stat line. The command name sits in parentheses and may itself hold spaces or
 * parentheses, so the fields are counted from the last `)`.
 */
function parseProcStat(text: string, pageSize: number): ProcessEntry | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // fields[0] is field 3 of proc(5): state, ppid, pgrp, session, tty_nr, tpgid, … utime (14) …
  const fields = text.slice(close + 2).split(' ');
  if (fields.length < 22 || !Number.isInteger(pid)) return undefined;
  const field = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    name: text.slice(text.indexOf('(') + 1, close),
    state: fields[0]!,
    ppid: field(4),
    pgrp: field(5),
    tpgid: field(8),
    cpuTicks: field(14) + field(15) + field(16) + field(17),
    startTicks: field(22),
    rssBytes: field(24) * pageSize,
    threads: field(20),
  };
}

/** Every process as `ps` lists it (macOS, where there is no /proc). */
export function readPsTable(): Promise<ProcessTable> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,rss=,%cpu='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(`ps failed, so per-process numbers are missing this second: ${error.message}`));
      else resolve(parsePsTable(stdout));
    });
  });
}

function parsePsTable(text: string): ProcessTable {
  const entries = new Map<number, ProcessEntry>();
  for (const line of text.split('\n')) {
    const [pid, ppid, rssKb, cpu] = line.trim().split(/\s+/).map(Number);
    if (pid === undefined || !Number.isInteger(pid) || pid <= 0 || ppid === undefined || rssKb === undefined || cpu === undefined) continue;
    if (![ppid, rssKb, cpu].every(Number.isFinite)) continue;
    entries.set(pid, { pid, ppid, rssBytes: rssKb * 1024, cpuPercent: cpu });
  }
  return { entries, children: childrenOf(entries) };
}

function childrenOf(entries: Map<number, ProcessEntry>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of entries.values()) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry.pid);
    else children.set(entry.ppid, [entry.pid]);
  }
  return children;
}

/** A process and all its descendants that the table holds; the root first. */
export function treeOf(table: ProcessTable, root: number): ProcessEntry[] {
  const rootEntry = table.entries.get(root);
  if (!rootEntry) return [];
  const members = [rootEntry];
  const seen = new Set([root]);
  for (let i = 0; i < members.length; i++) {
    for (const child of table.children.get(members[i]!.pid) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      members.push(table.entries.get(child)!);
    }
  }
  return members;
}

/**
 * The kernel's page size, which Node does not expose: this process's resident pages from /proc
 * against the resident bytes libuv computes from the same count with getpagesize().
 */
export function linuxPageSize(): number {
  const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
  const bytes = process.memoryUsage.rss();
  const candidates = [4096, 16384, 65536];
  if (!(pages > 0)) return 4096;
  return candidates.reduce((best, size) => (Math.abs(bytes / pages - size) < Math.abs(bytes / pages - best) ? size : best));
}
