import { readFileSync, readlinkSync } from 'node:fs';
import type { ProcessEntry } from './process-table.js';

/** read, pread64 and readv by architecture: what /proc/<pid>/syscall names first while a process waits in one. */
const readSyscalls: Partial<Record<NodeJS.Architecture, readonly number[]>> = {
  x64: [0, 17, 19],
  arm64: [63, 65, 67],
  ia32: [3, 145, 180],
  arm: [3, 145, 180],
};

/** Kernel functions a task sleeps in while a terminal read waits for input (older kernels, newer kernels). */
const ttyReadWaits = new Set(['n_tty_read', 'wait_woken']);

/**
 * Whether the terminal's foreground process is blocked reading the terminal: a question waits for
 * an answer. Linux only. `members` is the terminal's process tree, its root (the terminal's
 * process, which holds the terminal) first.
 */
export function blockedOnTerminalRead(members: readonly ProcessEntry[]): boolean {
  const foreground = members[0]?.tpgid;
  if (foreground === undefined || foreground <= 0) return false;
  for (const member of members) {
    if (member.pgrp !== foreground || member.state !== 'S') continue;
    if (readsTerminal(member.pid)) return true;
  }
  return false;
}

function readsTerminal(pid: number): boolean {
  const calls = readSyscalls[process.arch];
  let syscall: string | undefined;
  try {
    syscall = readFileSync(`/proc/${pid}/syscall`, 'latin1');
  } catch {
    // Unreadable where ptrace is restricted: the kernel function it sleeps in still tells.
  }
  if (syscall !== undefined && calls) {
    const [number, fd] = syscall.trim().split(' ');
    if (number === undefined || fd === undefined || !calls.includes(Number(number))) return false;
    return isTerminal(pid, Number.parseInt(fd, 16));
  }
  try {
    return ttyReadWaits.has(readFileSync(`/proc/${pid}/wchan`, 'latin1').trim()) && isTerminal(pid, 0);
  } catch {
    return false;
  }
}

function isTerminal(pid: number, fd: number): boolean {
  if (!Number.isInteger(fd) || fd < 0) return false;
  try {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    return target.startsWith('/dev/pts/') || target.startsWith('/dev/tty');
  } catch {
    return false;
  }
}

/**
 * A read that lasts: a terminal counts as waiting once it has been seen blocked for `thresholdMs`
 * (a prompt, not a pause between two lines of output), and stops the moment it is not.
 */
export class WaitTracker {
  private readonly blockedSince = new Map<string, number>();

  constructor(private readonly thresholdMs: number) {}

  update(id: string, blocked: boolean, now: number): boolean {
    if (!blocked) {
      this.blockedSince.delete(id);
      return false;
    }
    const since = this.blockedSince.get(id) ?? now;
    this.blockedSince.set(id, since);
    return now - since >= this.thresholdMs;
  }

  /** Forgets terminals that are gone. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.blockedSince.keys()) if (!ids.has(id)) this.blockedSince.delete(id);
  }
}
