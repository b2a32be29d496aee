/**
 * Whether this machine can fence a step in, and if not, why and what to do. bubblewrap is probed by
 * running it with the namespaces a step uses, since being installed is not enough: a kernel
 * without unprivileged user namespaces, or Ubuntu's AppArmor rule for them, refuses it at start.
 * A working sandbox is remembered for the engine's life; a missing one is asked again each time,
 * so installing bwrap takes effect at the next step.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type SandboxProgram = { kind: 'bwrap' | 'sandbox-exec'; path: string };
export type Availability = { ok: true; program: SandboxProgram } | { ok: false; reason: string; fix: string };

const allowHint = 'or, to run sandboxed steps without a sandbox, start Photon with PHOTON_ALLOW_UNSANDBOXED=1';
const working = new Map<string, SandboxProgram>();

export async function sandboxAvailability(env: Readonly<Record<string, string>>, platform: NodeJS.Platform = process.platform): Promise<Availability> {
  if (platform === 'darwin') return probe({ kind: 'sandbox-exec', path: '/usr/bin/sandbox-exec' }, ['-p', '(version 1)(allow default)', '/usr/bin/true'], 'macOS sandbox-exec');
  if (platform !== 'linux') return { ok: false, reason: `Photon has no sandbox for ${platform}`, fix: `run the step unsandboxed (remove its "sandbox"), ${allowHint}` };
  const path = env.PHOTON_BWRAP || findOnPath('bwrap', env.PATH);
  if (!path || !executable(path)) {
    return {
      ok: false,
      reason: env.PHOTON_BWRAP ? `bubblewrap is not at PHOTON_BWRAP (${env.PHOTON_BWRAP})` : 'bubblewrap (bwrap) is not installed',
      fix: `install it (apt install bubblewrap, dnf install bubblewrap, pacman -S bubblewrap), ${allowHint}`,
    };
  }
  return probe({ kind: 'bwrap', path }, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--', 'true'], 'bubblewrap');
}

async function probe(program: SandboxProgram, args: string[], name: string): Promise<Availability> {
  const known = working.get(program.path);
  if (known) return { ok: true, program: known };
  const failure = await new Promise<string | null>((resolve) => {
    execFile(program.path, args, { timeout: 15_000 }, (error, _stdout, stderr) => resolve(error ? stderr.trim() || error.message : null));
  });
  if (failure === null) {
    working.set(program.path, program);
    return { ok: true, program };
  }
  return { ok: false, reason: `${name} (${program.path}) cannot make a sandbox here: ${failure}`, fix: `${fixFor(failure)}, ${allowHint}` };
}

/** What bwrap's refusal usually means, said as the change that lets it run. */
function fixFor(failure: string): string {
  if (/user namespace|No permissions to creat|Operation not permitted|setting up uid map/i.test(failure)) {
    return 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 and later the AppArmor profile for bwrap, or sysctl kernel.apparmor_restrict_unprivileged_userns=0), or run Photon where they are allowed (a container may need --privileged or a seccomp profile that permits unshare)';
  }
  return 'check that the sandbox program runs in a terminal with the same arguments';
}

function findOnPath(name: string, path: string | undefined): string | undefined {
  const dirs = [...(path ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/local/bin'].filter((dir) => isAbsolute(dir));
  return dirs.map((dir) => join(dir, name)).find(executable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
