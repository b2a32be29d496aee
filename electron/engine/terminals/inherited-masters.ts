import { existsSync } from 'node:fs';

/**
 * On Linux node-pty (1.1) opens each pty with forkpty() and never marks the master side
 * close-on-exec, so every process started later inherits the masters of the terminals open at the
 * time (node-pty issue #657): a tool in one terminal could read another terminal's output or type
 * into it, and a dead session's pty stays alive while any of them holds it. Node cannot set
 * FD_CLOEXEC itself, so a pty program started while others are open goes through bash, which closes
 * those descriptors and then execs the program: same process, same pid, nothing else changes.
 * macOS is not affected (node-pty spawns there with POSIX_SPAWN_CLOEXEC_DEFAULT).
 */
const openMasters = new Set<number>();

const bash = process.platform === 'linux' ? ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path)) : undefined;

/** The program and arguments to hand node-pty so that no open master reaches the new process. */
export function withoutInheritedMasters(file: string, args: readonly string[]): { file: string; args: string[] } {
  if (!bash || openMasters.size === 0) return { file, args: [...args] };
  const closes = `exec ${[...openMasters].map((fd) => `${fd}>&-`).join(' ')};`;
  // Already `bash -c SCRIPT` (a shell step where the user's shell is bash): bash closes them
  // itself before the script, on the same line, without a second program start (about 1 ms each).
  if (/(^|\/)bash$/.test(file) && args[0] === '-c' && args.length >= 2) return { file, args: ['-c', `${closes} ${args[1]}`, ...args.slice(2)] };
  // `bash -c SCRIPT NAME ARGS...`: NAME is $0, so "$@" is the program with its own arguments.
  return { file: bash, args: ['-c', `${closes} exec "$@"`, file, file, ...args] };
}

/** A master this process now holds, until `closed` fires (node-pty closes it with its socket). */
export function trackMaster(fd: number, closed: (listener: () => void) => void): void {
  openMasters.add(fd);
  closed(() => openMasters.delete(fd));
}
