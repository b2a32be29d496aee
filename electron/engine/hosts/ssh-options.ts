/**
 * The one place the `ssh` command line is built. Everything else the user configured applies as
 * in their own terminal (~/.ssh/config, keys, agent, ProxyJump), with three things held by Photon:
 * the host key check is strict and consults Photon's known_hosts file beside the user's, so a key
 * is accepted only through `photon hosts trust`; ssh never prompts (Photon has nobody to answer);
 * and one shared connection per host lives at a control socket in Photon's data folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HostAddress } from '../../../shared/hosts.js';

export interface SshSettings {
  /** Photon's own folder for hosts: its known_hosts file and the control sockets. */
  folder: string;
  /** An ssh config file to use instead of ~/.ssh/config (`ssh -F`); tests give their own. */
  configFile?: string;
  /** Whether the user's ~/.ssh/known_hosts counts too (default yes). */
  userKnownHosts?: boolean;
}

/** Seconds an idle shared connection stays open after its last session. */
export const controlPersistSeconds = 600;

export function knownHostsFile(settings: SshSettings): string {
  return join(settings.folder, 'known_hosts');
}

/** ssh's `[user@]host` argument and `-p`; never starting with `-`, which parseHostAddress refuses. */
export function targetArgs(address: HostAddress): string[] {
  return [...(address.port !== null ? ['-p', String(address.port)] : []), address.user ? `${address.user}@${address.hostname}` : address.hostname];
}

/**
 * The options every ssh Photon runs gets. Quoted paths survive a data folder with spaces (macOS's
 * "Application Support"): ssh splits these option values as its config file does.
 */
export function commonOptions(settings: SshSettings): string[] {
  const files = [knownHostsFile(settings), ...(settings.userKnownHosts === false ? [] : [join(homedir(), '.ssh', 'known_hosts')])];
  return [
    ...(settings.configFile ? ['-F', settings.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${files.map((file) => `"${file}"`).join(' ')}`,
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'LogLevel=ERROR',
    '-o', `ControlPath="${controlFolder(settings)}/%C"`,
  ];
}

/** Options of an ssh that only uses the shared connection: it never becomes the master itself. */
export function clientOptions(settings: SshSettings): string[] {
  return [...commonOptions(settings), '-o', 'ControlMaster=no'];
}

/**
 * The longest control folder ssh can make its socket in: a unix socket's path holds 104 bytes on
 * macOS (108 on Linux), and the master first listens at `FOLDER/%C.` plus 16 random characters
 * (40 for `%C`) before renaming it, so 104 - 1 - 40 - 17 is left.
 */
export const controlFolderMax = 46;

/**
 * Where the control sockets live: a data folder too long for the socket's path (see
 * controlFolderMax) gets a short private folder under the system's temp instead.
 */
export function controlFolder(settings: SshSettings): string {
  let folder = join(settings.folder, 'ctl');
  if (folder.length > controlFolderMax) {
    const digest = createHash('sha256').update(settings.folder).digest('hex').slice(0, 12);
    const name = `photon-ssh-${safeUser().slice(0, 12)}-${digest}`;
    folder = join(tmpdir(), name);
    // macOS's temp folder (/var/folders/../T) is itself too long; /tmp is there too, and short.
    if (folder.length > controlFolderMax) folder = join('/tmp', name);
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9_-]/g, '_');
  } catch {
    return String(process.getuid?.() ?? 'user');
  }
}
