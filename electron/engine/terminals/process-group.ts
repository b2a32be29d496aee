import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * A pseudo-terminal's child leads its own session and process group, so signalling the group
 * reaches everything the command started, background jobs included.
 */

const isLinux = process.platform === 'linux';

/**
 * The pids that can be in a group, when known (undefined: any process on the machine). A group's
 * members all live in its leader's session, which only the leader's descendants can be in, so they
 * all have pids allocated since the leader started: its pid window (marked-processes.ts).
 */
export type GroupCandidates = () => readonly number[] | undefined;

/** Whether any live (non-zombie) process remains in the group. */
export function processGroupAlive(pgid: number, candidates?: GroupCandidates): boolean {
  if (!signalGroup(pgid, 0)) return false;
  // kill(0) also succeeds for zombies nobody has reaped yet (a container's PID 1 often does not);
  // on Linux, look at the real states.
  return isLinux ? liveMembers(pgid, candidates?.()).length > 0 : true;
}

/** Sends `signal` to the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  const error = kill(-pgid, signal);
  if (!error || error.code === 'EPERM') return true;
  if (error.code === 'ESRCH') return false;
  throw error;
}

/**
 * process.kill, answering its error instead of throwing it, made without a stack trace: at the end
 * of most steps the group is already gone, and Node's error for that captured the engine's call
 * stack each time, most of what the check cost. An unexpected error, thrown on, keeps its code
 * and message.
 */
function kill(pid: number, signal: NodeJS.Signals | 0): NodeJS.ErrnoException | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(pid, signal);
    return undefined;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * SIGHUP and SIGTERM to the whole group, a grace period, then SIGKILL; resolves once no live process of
 * the group remains (or after a last SIGKILL if something refuses to die). `leaderReaped`: the
 * leader's exit was collected (its terminal reported it), so only the group can be left, and its
 * pid, free again, is never signalled on its own.
 */
export async function terminateProcessGroup(pgid: number, graceMs = 2000, { leaderReaped = false, candidates }: { leaderReaped?: boolean; candidates?: GroupCandidates } = {}): Promise<void> {
  // Right after the fork the child has not yet made its own group (setsid runs just before exec):
  // then the leader is alive but the group does not exist, and only the leader can be signalled.
  const alive = leaderReaped ? () => processGroupAlive(pgid, candidates) : () => processGroupAlive(pgid, candidates) || processAlive(pgid);
  const signal = leaderReaped ? (name: NodeJS.Signals) => signalGroup(pgid, name) : (name: NodeJS.Signals) => signalGroup(pgid, name) || signalProcess(pgid, name);
  if (!alive()) return;
  // SIGHUP is what closing a terminal sends: interactive shells ignore SIGTERM but exit on it.
  signal('SIGHUP');
  signal('SIGTERM');
  // Processes stopped by job control would never see either.
  signal('SIGCONT');
  const deadline = Date.now() + graceMs;
  let pause = 5;
  while (Date.now() < deadline) {
    await sleep(pause);
    if (!alive()) return;
    // The group may have appeared since: whatever joined it gets the same request.
    signalGroup(pgid, 'SIGTERM');
    pause = Math.min(pause * 2, 50);
  }
  signal('SIGKILL');
  for (let i = 0; i < 100 && alive(); i++) await sleep(10);
}

function processAlive(pid: number): boolean {
  if (isLinux) {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  }
  return signalProcess(pid, 0);
}

/** Sends `signal` to one process; false when it is gone (or not ours). */
export function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  return kill(pid, signal) === undefined;
}

/**
 * The group's live members, read from `candidates` when given: while a group is stopped it is
 * asked every 5 to 50 ms, and reading every process on the machine each time cost the engine's
 * main thread a read a process.
 */
function liveMembers(pgid: number, candidates?: readonly number[]): number[] {
  const members: number[] = [];
  const pids = candidates ?? readdirSync('/proc').flatMap((entry) => (/^\d+$/.test(entry) ? [Number(entry)] : []));
  for (const pid of pids) {
    // Most of a short window's pids are free again: asking costs a fraction of a failed read.
    if (candidates && !existsSync(`/proc/${pid}`)) continue;
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(pid);
  }
  return members;
}

interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  /** The session's id: its leader's pid. */
  session: number;
  startTime: number;
}

/** Fields of /proc/PID/stat (Linux only); undefined when the process is gone. */
export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseStat(text);
}

function parseStat(text: string): ProcStat {
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]), startTime: Number(fields[19]) };
}

/**
 * A process's identity across PID reuse: its PID and start time. Used to tell whether a process
 * recorded by an earlier engine is still the same process.
 */
export function processIdentity(pid: number): string {
  const stat = isLinux ? readStat(pid) : undefined;
  return stat ? `${pid}:${stat.startTime}` : `${pid}`;
}

/**
 * processIdentity without waiting on the process: just after a fork, reading /proc/PID/stat blocks
 * until the child's exec is done (bench: 0.4 ms of the engine's main thread per step started). The
 * read runs on libuv's thread pool instead.
 */
export async function processIdentityOffThread(pid: number): Promise<string> {
  if (!isLinux) return processIdentity(pid);
  try {
    return `${pid}:${parseStat(await readFile(`/proc/${pid}/stat`, 'utf8')).startTime}`;
  } catch {
    return `${pid}`;
  }
}

/** Whether the process recorded as `identity` still runs (false if the PID was reused). */
export function identityAlive(identity: string): boolean {
  const [pidText, startTime] = identity.split(':');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (isLinux && startTime !== undefined) {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z' && String(stat.startTime) === startTime;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
