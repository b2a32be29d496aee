/**
 * Host keys: what a host presents, and accepting it into Photon's known_hosts when the user says so.
 *
 * The presented key is read by ssh itself rather than by ssh-keyscan: an ssh that may write only
 * to a scratch known_hosts and offers no way to authenticate (`PreferredAuthentications=none`)
 * stops right after the key exchange, having recorded the key under the very name it checks later.
 * So ProxyJump, HostKeyAlias and the ssh config's HostName and Port apply as for a real
 * connection, which ssh-keyscan ignores, and no credential is offered to an unverified server.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostAddress } from '../../../shared/hosts.js';
import { PhotonError } from '../../../shared/errors.js';
import { runProgram } from './run-program.js';
import { knownHostsFile, targetArgs, type SshSettings } from './ssh-options.js';

export interface PresentedKey {
  type: string;
  fingerprint: string;
  /** The known_hosts line ssh wrote for it. */
  line: string;
}

export async function presentedKey(settings: SshSettings, address: HostAddress, env: Record<string, string>): Promise<PresentedKey> {
  const scratch = mkdtempSync(join(tmpdir(), 'photon-hostkey-'));
  try {
    const file = join(scratch, 'known_hosts');
    await runProgram(
      'ssh',
      [
        ...(settings.configFile ? ['-F', settings.configFile] : []),
        '-o', 'BatchMode=yes',
        '-o', 'StrictHostKeyChecking=accept-new',
        '-o', `UserKnownHostsFile="${file}"`,
        '-o', 'GlobalKnownHostsFile=/dev/null',
        '-o', 'HashKnownHosts=no',
        '-o', 'PreferredAuthentications=none',
        '-o', 'ControlMaster=no',
        '-o', 'ControlPath=none',
        '-o', 'ConnectTimeout=10',
        '-T',
        ...targetArgs(address),
        'true',
      ],
      { env, timeoutMs: 30_000 },
    );
    let line = '';
    try {
      line = readFileSync(file, 'utf8').split('\n').find((text) => text.trim() !== '') ?? '';
    } catch {
      // No file: ssh never got to the key exchange.
    }
    if (!line) throw new PhotonError('unavailable', `could not read the host key of ${address.hostname}: the server did not complete a key exchange`);
    const listed = await runProgram('ssh-keygen', ['-l', '-f', file], { env, timeoutMs: 10_000 });
    // "256 SHA256:... [127.0.0.1]:2222 (ED25519)"
    const match = /^\d+\s+(\S+)\s.*\((\S+)\)\s*$/m.exec(listed.stdout);
    if (!match) throw new PhotonError('unavailable', `ssh-keygen could not read the host key of ${address.hostname}: ${listed.stderr.trim()}`);
    return { fingerprint: match[1]!, type: match[2]!, line: `${line.trim()}\n` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Adds the key the host presents now to Photon's known_hosts, only if it is the one the user was
 * shown. A host whose name already has another key there is refused: that is a changed key.
 */
export async function trustHostKey(settings: SshSettings, address: HostAddress, fingerprint: string, env: Record<string, string>, hostName: string): Promise<PresentedKey> {
  const key = await presentedKey(settings, address, env);
  if (key.fingerprint !== fingerprint) {
    throw new PhotonError(
      'conflict',
      `host "${hostName}" presents ${key.type} ${key.fingerprint}, not ${fingerprint}: nothing was trusted. Check with the server's administrator which key is right`,
    );
  }
  const file = knownHostsFile(settings);
  const known = await knownFingerprints(file, key.line.split(' ')[0]!, env);
  if (known.includes(key.fingerprint)) return key;
  if (known.length > 0) {
    throw new PhotonError(
      'conflict',
      `host "${hostName}" already has another key in ${file} (${known.join(', ')}): a changed key is never replaced silently. If the server was really reinstalled, remove the old key with: ssh-keygen -R '${key.line.split(' ')[0]}' -f '${file}'`,
    );
  }
  mkdirSync(settings.folder, { recursive: true, mode: 0o700 });
  appendFileSync(file, key.line, { mode: 0o600 });
  return key;
}

/** The key a host presents now, and the fingerprints of the key(s) Photon and the user trusted for it before. */
export async function changedKey(settings: SshSettings, address: HostAddress, env: Record<string, string>): Promise<{ type: string; fingerprint: string; replaces: string[] }> {
  const key = await presentedKey(settings, address, env);
  const name = key.line.split(' ')[0]!;
  const own = await knownFingerprints(knownHostsFile(settings), name, env);
  const user = settings.userKnownHosts === false ? [] : await knownFingerprints(userKnownHostsFile(), name, env);
  return { type: key.type, fingerprint: key.fingerprint, replaces: [...new Set([...own, ...user])].filter((known) => known !== key.fingerprint) };
}

/**
 * The user's deliberate answer to a changed key: the key the host presents now (only if it is the
 * one the user was shown) takes the place of the old one in Photon's known_hosts. An old key in the
 * user's own ~/.ssh/known_hosts is theirs to remove: Photon never edits that file.
 */
export async function replaceHostKey(settings: SshSettings, address: HostAddress, fingerprint: string, env: Record<string, string>, hostName: string): Promise<PresentedKey> {
  const key = await presentedKey(settings, address, env);
  if (key.fingerprint !== fingerprint) {
    throw new PhotonError('conflict', `host "${hostName}" presents ${key.type} ${key.fingerprint}, not ${fingerprint}: nothing was replaced. Check with the server's administrator which key is right`);
  }
  const name = key.line.split(' ')[0]!;
  if (settings.userKnownHosts !== false) {
    const user = userKnownHostsFile();
    const theirs = (await knownFingerprints(user, name, env)).filter((known) => known !== key.fingerprint);
    if (theirs.length > 0) {
      throw new PhotonError('conflict', `host "${hostName}": the old key (${theirs.join(', ')}) is in your ${user}, which Photon never edits; remove it with: ssh-keygen -R '${name}' -f '${user}', then accept the new key again`);
    }
  }
  const file = knownHostsFile(settings);
  if ((await knownFingerprints(file, name, env)).some((known) => known !== key.fingerprint)) {
    const removed = await runProgram('ssh-keygen', ['-R', name, '-f', file], { env, timeoutMs: 10_000 });
    if (removed.code !== 0) throw new PhotonError('internal', `could not remove the old key of host "${hostName}" from ${file}: ${removed.stderr.trim()}`);
    // ssh-keygen keeps the file as it was beside it: the old key would stay on disk, unused.
    rmSync(`${file}.old`, { force: true });
  }
  mkdirSync(settings.folder, { recursive: true, mode: 0o700 });
  if (!(await knownFingerprints(file, name, env)).includes(key.fingerprint)) appendFileSync(file, key.line, { mode: 0o600 });
  return key;
}

function userKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

/** Fingerprints `file` holds for a known_hosts name such as `[127.0.0.1]:2222`. */
async function knownFingerprints(file: string, name: string, env: Record<string, string>): Promise<string[]> {
  const found = await runProgram('ssh-keygen', ['-F', name, '-l', '-f', file], { env, timeoutMs: 10_000 });
  // "[127.0.0.1]:2222 ED25519 SHA256:..." per key, after a "# Host ... found" comment.
  return found.stdout
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => /\s(SHA256:\S+)/.exec(line)?.[1] ?? []);
}
