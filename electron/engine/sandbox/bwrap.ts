/**
 * A fence plan as a bubblewrap command line (Linux). Mounts are applied in order, so each path is
 * mounted after its parents: hidden roots as empty tmpfs folders, the private home over the real
 * one, then the folders shown again inside them, then the secrets hidden again, and only then are
 * the hidden roots made read-only (their mount points had to be created first).
 *
 * Deliberately not used:
 * - `--new-session`: it would take the pty away as the controlling terminal, so /dev/tty fails and
 *   Ctrl-C from the step's terminal no longer reaches the tool's own handling. It guards against
 *   TIOCSTI pushing keystrokes into the terminal outside, but this terminal is the step's own pty,
 *   whose only reader is the sandboxed process group itself.
 * - `--unshare-user`: bwrap makes a user namespace by itself when it is not privileged, and as root
 *   one would only drop capabilities the process does not use.
 * `--unshare-pid` with `--die-with-parent` makes the sandbox's first process its init: when the
 * step is stopped, every process inside dies with it, even one that left the process group.
 */
import { existsSync, statSync } from 'node:fs';
import type { FencePlan } from './plan.js';

interface Mount {
  path: string;
  args: string[];
}

export function bwrapArgs(plan: FencePlan, file: string, args: readonly string[]): string[] {
  const mounts: Mount[] = [
    ...plan.scratch.map((path) => ({ path, args: ['--tmpfs', path] })),
    ...plan.hidden.map((path) => (path === plan.home ? { path, args: ['--bind', plan.privateHome, path] } : { path, args: ['--tmpfs', path] })),
    ...plan.readable.map((path) => ({ path, args: ['--ro-bind', path, path] })),
    ...plan.writable.map((path) => ({ path, args: ['--bind', path, path] })),
  ];
  // Parents first; at equal depth a folder is hidden before anything is shown in it.
  const ordered = mounts.map((mount, order) => ({ ...mount, order })).sort((a, b) => depth(a.path) - depth(b.path) || a.order - b.order);
  const secrets = plan.secrets.flatMap((path) => (isFolder(path) ? ['--tmpfs', path, '--remount-ro', path] : ['--ro-bind', '/dev/null', path]));
  // Folders shown inside a hidden root are mounts of their own: they keep their access.
  const readOnly = plan.hidden.filter((path) => path !== plan.home);
  return [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(plan.network ? [] : ['--unshare-net']),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    ...ordered.flatMap((mount) => mount.args),
    ...secrets,
    ...readOnly.flatMap((path) => ['--remount-ro', path]),
    ...plan.unsetEnv.flatMap((name) => ['--unsetenv', name]),
    '--chdir',
    plan.cwd,
    '--',
    file,
    ...args,
  ];
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
