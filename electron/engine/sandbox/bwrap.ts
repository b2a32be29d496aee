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
 *
 * The private home and /tmp are writable, and a folder shown inside them needs its parents made
 * there: those parents are read-only folders of their own (scaffolds), so a step that writes to the
 * user's checkout by its absolute path (its worktree's repository is shown, read-only) is refused
 * with EROFS and told so, instead of writing into a private copy that vanishes with the attempt.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { privateHomeFolders, within, type FencePlan } from './plan.js';

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
  const scaffolding = scaffolds(plan, mounts.map((mount) => mount.path));
  mounts.push(...scaffolding.map((path) => ({ path, args: ['--tmpfs', path] })));
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
    ...[...readOnly, ...scaffolding].flatMap((path) => ['--remount-ro', path]),
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

/**
 * The topmost parent, below a writable private root (the private home, /tmp), that exists only to
 * hold a mount: the home's XDG folders exist in the private home already, so only what is below
 * them counts.
 */
function scaffolds(plan: FencePlan, mounted: readonly string[]): string[] {
  const roots = [{ root: plan.home, made: privateHomeFolders }, ...plan.scratch.map((root) => ({ root, made: [] as string[] }))];
  const tops = new Set<string>();
  for (const path of mounted) {
    const place = roots.find(({ root }) => path !== root && within(path, root));
    if (!place) continue;
    const parts = relative(place.root, path).split(sep);
    let depth = 1;
    while (depth < parts.length && place.made.includes(parts.slice(0, depth).join('/'))) depth++;
    const top = join(place.root, ...parts.slice(0, depth));
    if (top !== path && !mounted.includes(top)) tops.add(top);
  }
  return [...tops];
}
