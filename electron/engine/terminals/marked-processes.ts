import { existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { identityAlive, processIdentity, readStat, signalGroup, signalProcess } from './process-group.js';
import { ptyHostPid } from './pty-host.js';

/**
 * Processes found by the variables their creator put in their environment. A process that leaves
 * its terminal's process group (`setsid`, a daemon's double fork) is out of reach of the group's
 * signals, but it keeps the environment it inherited: whatever session it moved to, the marks say
 * whose it is. Linux only (/proc/PID/environ); elsewhere none is found. A process that replaces
 * its whole environment (`env -i`, `sudo`) or another user's process is not found either.
 */

const isLinux = process.platform === 'linux';

/**
 * The pids allocated since a process started. The kernel hands out pids in increasing order,
 * wrapping at pid_max, so everything a process starts has a pid after its own: at the end of a short
 * step only those few need reading instead of every process on the machine. Once enough time has
 * passed for the pids to have come round again, the whole machine is searched.
 */
export interface PidWindow {
  firstPid: number;
  openedAt: number;
  /**
   * The process at `firstPid` has exited and its exit was collected: it is not read. Its pid
   * comes round again only after a wrap, which ends the window anyway. At the end of a step that
   * started nothing, nothing at all is read but the pid allocated last.
   */
  firstPidReaped?: boolean;
  /** Its place among this process's own terminal leaders (ownLeaderStarted): the leaders started after it are not read. */
  leaderOrder?: number;
}

export function pidWindowFrom(pid: number): PidWindow {
  return { firstPid: pid, openedAt: Date.now() };
}

/** Process creations per second assumed at most, machine-wide, when judging whether pids may have wrapped. */
const maxForksPerSecond = 50_000;

/** How long a window can be trusted: the time the pids would take to come round at the fastest. */
function windowLifeMs(): number {
  return (pidMax() / maxForksPerSecond) * 1000;
}

/**
 * The leaders of this process's own terminals, by pid, in the order they started. A leader that
 * started after a window opened is never what the window's process left behind: its pid was free
 * when the window opened and has been the leader's ever since, alive or reaped (a reaped pid comes
 * round again only after a wrap, which ends the window). In a graph of short steps the window of
 * each step holds little else but the leaders of the steps started beside it, so at its end
 * nothing of theirs is read. Kept only as long as a window that could use them can be trusted.
 */
const ownLeaders = new Map<number, { order: number; at: number }>();
let leadersStarted = 0;

/**
 * Whether a pid is one of this process's leaders started after the window opened, recently enough
 * that its pid cannot have come round since: true for no pid when the window is not a leader's.
 */
function leaderStartedAfter({ leaderOrder }: PidWindow): (pid: number) => boolean {
  if (leaderOrder === undefined) return () => false;
  const since = Date.now() - windowLifeMs();
  return (pid) => {
    const leader = ownLeaders.get(pid);
    return leader !== undefined && leader.order > leaderOrder && leader.at > since;
  };
}

/** Records a leader this process's terminal host just started, and opens the window of what it starts. */
export function ownLeaderStarted(pid: number): PidWindow {
  const now = Date.now();
  const life = windowLifeMs();
  for (const [old, { at }] of ownLeaders) {
    if (now - at < life) break;
    ownLeaders.delete(old);
  }
  const order = ++leadersStarted;
  // A pid seen again (after a wrap) moves to the end, so the oldest entries stay first.
  ownLeaders.delete(pid);
  ownLeaders.set(pid, { order, at: now });
  return { firstPid: pid, openedAt: now, leaderOrder: order };
}

/** Below this many pids the window is read pid by pid, without listing /proc. */
const probeLimit = 64;
/** Up to this many processes are read on the main thread. */
const syncLimit = 64;

let pidMaxCache: number | undefined;
function pidMax(): number {
  if (pidMaxCache === undefined) {
    try {
      pidMaxCache = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) || 32_768;
    } catch {
      pidMaxCache = 32_768;
    }
  }
  return pidMaxCache;
}

/**
 * /proc/loadavg, kept open: read again from its start it is made anew, in one system call where
 * readFileSync took five (open, stat, two reads, close) at every step's end.
 */
let loadavg: number | undefined;
const loadavgText = Buffer.alloc(256);

/** The pid the kernel allocated last (the fifth field of /proc/loadavg). */
function lastPid(): number | undefined {
  try {
    loadavg ??= openSync('/proc/loadavg', 'r');
    const length = readSync(loadavg, loadavgText, 0, loadavgText.length, 0);
    const last = Number(loadavgText.toString('latin1', 0, length).trim().split(/\s+/)[4]);
    return Number.isInteger(last) && last > 0 ? last : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pids of the window, or undefined when it cannot be trusted (old enough for the pids to have
 * wrapped) or read. A short window is listed pid by pid; a longer one is what /proc lists in it.
 */
function pidsInWindow(window: PidWindow): number[] | undefined {
  if (Date.now() - window.openedAt >= windowLifeMs()) return undefined;
  const last = lastPid();
  if (last === undefined) return undefined;
  const { firstPid, firstPidReaped } = window;
  const startedAfter = leaderStartedAfter(window);
  const wanted = (pid: number) => pid !== process.pid && !(firstPidReaped && pid === firstPid) && !startedAfter(pid);
  const size = last >= firstPid ? last - firstPid + 1 : pidMax() - firstPid + last;
  if (size <= probeLimit) {
    const pids: number[] = [];
    for (let pid = firstPid, n = 0; n < size; n++, pid = pid + 1 >= pidMax() ? 1 : pid + 1) if (wanted(pid)) pids.push(pid);
    return pids;
  }
  const inWindow = last >= firstPid ? (pid: number) => pid >= firstPid && pid <= last : (pid: number) => pid >= firstPid || pid <= last;
  try {
    return allPids(readdirSync('/proc')).filter((pid) => inWindow(pid) && wanted(pid));
  } catch {
    return undefined;
  }
}

/** The pids of the window that may be alive, as pidsInWindow lists them; undefined when it cannot be trusted or read. */
export function windowPids(window: PidWindow): number[] | undefined {
  return isLinux ? pidsInWindow(window) : undefined;
}

/**
 * Whether a pid of a short window may be a process the window's leader left. Most are already free
 * again, or threads of the pty host (node-pty starts one to wait for each process): asking /proc
 * whether it has them costs a fraction of what reading one costs, and of the exception a read of a
 * missing one throws.
 */
function mayBeLeftBehind(pid: number, host: number | undefined): boolean {
  return existsSync(`/proc/${pid}`) && !(host !== undefined && existsSync(`/proc/${host}/task/${pid}`));
}

/**
 * Whether a leader whose exit was collected can have left nothing at all. Everything a process
 * starts has a pid of its window, whether it stayed in its group or left it (`setsid`, a double
 * fork), and nothing else can join its group, which lives in the leader's own session. So when no
 * pid allocated since it started is alive, but for the ones that are known not to be its (this
 * process, the pty host's threads, this process's later terminal leaders), its group is gone and no
 * process carries its marks: neither need signalling nor reading (0.07 ms a link of a chain).
 *
 * On a machine where other programs start processes too, some of those usually live in the window
 * at a step's end. Then its group is asked for and those few are read for `marks` here, once: when
 * the group is gone and none carries them (the search's own answer when it finds nothing), nothing
 * is left. The full stop asked /proc the same again (the pid allocated last, each pid's existence)
 * before reading them, through a chain of promises, between the step's exit and its end.
 *
 * False when something may be left: the group lives, a process carries the marks or reads as
 * mid-exec, or the window cannot tell (its leader not reaped, too old or too wide to trust, /proc
 * unreadable). Then the full stop runs, signals and all.
 */
export function leftNothing(window: PidWindow, marks?: Record<string, string>): boolean {
  if (!isLinux || !window.firstPidReaped) return false;
  const near = pidsInWindow(window);
  if (!near || near.length > syncLimit) return false;
  const host = ptyHostPid();
  const alive = near.filter((pid) => mayBeLeftBehind(pid, host));
  if (alive.length === 0) return true;
  // A process that stayed in the group may have shed the marks (`env -i`): the group is asked first.
  if (signalGroup(window.firstPid, 0)) return false;
  if (!marks) return true;
  const wanted = markEntries(marks);
  const midExec: number[] = [];
  return alive.every((pid) => {
    try {
      return !carriesOrWaits(pid, readFileSync(`/proc/${pid}/environ`), wanted, midExec) && midExec.length === 0;
    } catch {
      return true; // Gone meanwhile, or another user's.
    }
  });
}

function allPids(entries: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of entries) if (/^\d+$/.test(entry) && Number(entry) !== process.pid) pids.push(Number(entry));
  return pids;
}

function markEntries(marks: Record<string, string>): Buffer[] {
  return Object.entries(marks).map(([name, value]) => Buffer.from(`${name}=${value}\0`));
}

/** Whether a process's environment holds every entry; false once it has ended (a zombie's reads empty). */
function carries(environment: Buffer, wanted: readonly Buffer[]): boolean {
  const block = environmentOf(environment);
  return wanted.every((entry) => holds(block, entry));
}

/**
 * Live processes (not this one) whose environment holds every one of `marks`. The few of a short
 * window are read at once: waiting on the thread pool for each would delay the step's end (and the
 * next step's start) far more than reading them costs. A whole machine is read off the main thread.
 */
export async function markedProcesses(marks: Record<string, string>, window?: PidWindow): Promise<number[]> {
  if (!isLinux) return [];
  const wanted = markEntries(marks);
  const near = window ? pidsInWindow(window) : undefined;
  const startedAfter = window ? leaderStartedAfter(window) : () => false;
  const midExec: number[] = [];
  if (near && near.length <= syncLimit) {
    const host = ptyHostPid();
    const found = near.filter((pid) => {
      if (!mayBeLeftBehind(pid, host)) return false;
      try {
        return carriesOrWaits(pid, readFileSync(`/proc/${pid}/environ`), wanted, midExec);
      } catch {
        return false; // Gone meanwhile, or another user's.
      }
    });
    return midExec.length === 0 ? found : [...found, ...(await carriersOnceExeced(midExec, wanted))];
  }
  let pids = near;
  if (!pids) {
    try {
      pids = allPids(await readdir('/proc'));
    } catch {
      return [];
    }
    // The pids may have come round since the window opened, but not those of leaders started lately.
    if (window) pids = pids.filter((pid) => !startedAfter(pid));
  }
  const found = await Promise.all(
    pids.map(async (pid) => {
      try {
        return carriesOrWaits(pid, await readFile(`/proc/${pid}/environ`), wanted, midExec) ? pid : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  const carriers = found.filter((pid): pid is number => pid !== undefined);
  return midExec.length === 0 ? carriers : [...carriers, ...(await carriersOnceExeced(midExec, wanted))];
}

/**
 * Whether a process's environment holds every mark; a live process whose environment reads empty
 * is put in `midExec`. Between the memory it leaves and the environment of the program it execs,
 * a process reads as having none (a CI run missed a marked process that had just exec'd `sleep`,
 * and it outlived its cancelled run). A zombie or a kernel thread reads empty too, and stays out.
 */
function carriesOrWaits(pid: number, environment: Buffer, wanted: readonly Buffer[], midExec: number[]): boolean {
  if (environment.length > 0) return carries(environment, wanted);
  if (livesInUserSpace(pid)) midExec.push(pid);
  return false;
}

/** Those of `pids` that carry the marks once their exec is through; one still empty after about 30 ms has none. */
async function carriersOnceExeced(pids: readonly number[], wanted: readonly Buffer[]): Promise<number[]> {
  const found: number[] = [];
  let waiting = pids;
  for (let pause = 1; waiting.length > 0 && pause <= 16; pause *= 2) {
    await sleep(pause);
    const still: number[] = [];
    for (const pid of waiting) {
      try {
        if (carriesOrWaits(pid, readFileSync(`/proc/${pid}/environ`), wanted, still)) found.push(pid);
      } catch {
        // Gone meanwhile.
      }
    }
    waiting = still;
  }
  return found;
}

function livesInUserSpace(pid: number): boolean {
  const stat = readStat(pid);
  // kthreadd (pid 2) and its children are the kernel's threads.
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && pid !== 2 && stat.ppid !== 2;
}

/**
 * Stops every process carrying `marks`: SIGTERM (and SIGCONT, for stopped ones), `graceMs` to exit,
 * then SIGKILL. Looks again until none is left, so that what a dying process started meanwhile (a
 * double fork under way) is stopped too. Resolves when no marked process remains and every one it
 * signalled has ended: one that is exiting reads as having no environment before it is a zombie,
 * and under load it stayed that way for longer than the search waits for an exec (a CI run found
 * a stopped run's `setsid` job still alive after this resolved).
 */
export async function stopMarkedProcesses(marks: Record<string, string>, graceMs: number, window?: PidWindow): Promise<void> {
  if (!isLinux) return;
  let found = await markedProcesses(marks, window);
  if (found.length === 0) return;
  /** Each pid signalled, as its identity (pid and start time): a pid that ends and is taken again is not waited for. */
  const asked = new Map<number, string>();
  const ask = (pids: number[]) => {
    for (const pid of pids) {
      if (asked.has(pid)) continue;
      asked.set(pid, processIdentity(pid));
      signalProcess(pid, 'SIGTERM');
      signalProcess(pid, 'SIGCONT');
    }
  };
  const stillAlive = () => [...asked].filter(([, identity]) => identityAlive(identity)).map(([pid]) => pid);
  ask(found);
  const deadline = Date.now() + graceMs;
  let pause = 5;
  while (Date.now() < deadline) {
    await sleep(pause);
    pause = Math.min(pause * 2, 50);
    found = await markedProcesses(marks, window);
    if (found.length === 0 && stillAlive().length === 0) return;
    ask(found);
  }
  // What is still there refused SIGTERM. A process that keeps starting others is outrun round by round.
  // Everything found so far was asked, so what is left is what was asked and still lives.
  let left = stillAlive();
  for (let round = 0; round < 100 && left.length > 0; round++) {
    for (const pid of left) signalProcess(pid, 'SIGKILL');
    await sleep(10);
    ask(await markedProcesses(marks, window));
    left = stillAlive();
  }
}

/**
 * Finds the leader of a pseudo-terminal's process group by its marks, for when its pid was never
 * written down: an engine that dies between starting a process and recording it leaves only the
 * process itself.
 *
 * node-pty's child leads its own session. Its descendants carry the same variables but are not
 * session leaders, except one that left with setsid; that one started later, so the leader is the
 * session leader that started first. (Once the engine is gone the terminal has hung up, so a
 * controlling terminal cannot tell them apart.)
 */
export function sessionLeaderWithEnvironment(variables: Record<string, string>): number | undefined {
  if (!isLinux) return undefined;
  const wanted = markEntries(variables);
  let first: { pid: number; startTime: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (!stat || stat.session !== pid || stat.state === 'Z' || (first && first.startTime <= stat.startTime)) continue;
    let environment: Buffer;
    try {
      environment = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // Gone meanwhile, or another user's.
    }
    if (wanted.every((variable) => holds(environment, variable))) first = { pid, startTime: stat.startTime };
  }
  return first?.pid;
}

/** The block as the entries it holds: the last one ends with a NUL too, so `NAME=VALUE\0` matches it. */
function environmentOf(block: Buffer): Buffer {
  return block.length === 0 || block[block.length - 1] === 0 ? block : Buffer.concat([block, Buffer.from([0])]);
}

/** Whether the NUL-separated environment block holds `variable` (NAME=VALUE\0) as a whole entry. */
function holds(environment: Buffer, variable: Buffer): boolean {
  for (let at = environment.indexOf(variable); at !== -1; at = environment.indexOf(variable, at + 1)) {
    if (at === 0 || environment[at - 1] === 0) return true;
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
