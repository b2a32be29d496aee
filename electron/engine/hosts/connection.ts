/**
 * One shared ssh connection per host (OpenSSH's ControlMaster): made once, reused by every step
 * and command on that host, checked before use and remade when it dropped. Its failures are read
 * into the host's health with the fix the user needs.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HostAddress, HostInfo, HostStatus } from '../../../shared/hosts.js';
import { PhotonError } from '../../../shared/errors.js';
import { changedKey, presentedKey } from './host-keys.js';
import { runProgram, type ProgramResult } from './run-program.js';
import { clientOptions, commonOptions, controlPersistSeconds, knownHostsFile, targetArgs, type SshSettings } from './ssh-options.js';

export interface Health {
  status: HostStatus;
  latencyMs: number | null;
  lastError: string | null;
  presentedKey: HostInfo['presentedKey'];
}

/** A connection failure with what the host's health should say. */
const confirmationValidMs = 5000;

export class HostUnavailable extends PhotonError {
  constructor(
    message: string,
    readonly health: Health,
  ) {
    super('unavailable', message);
  }
}

export class HostConnection {
  private connecting: Promise<void> | undefined;
  private confirmedAt = 0;
  /** Counts the shared connections made: what was found over one is looked for again over the next. */
  generation = 0;

  constructor(
    readonly name: string,
    readonly address: HostAddress,
    private readonly settings: SshSettings,
    /** The environment ssh runs with: the user's (SSH_AUTH_SOCK, HOME), never a step's. */
    private readonly env: Record<string, string>,
    /** Told each time a new shared connection is made: the host answers again. */
    private readonly connected: () => void = () => undefined,
  ) {}

  /** The arguments of an ssh that runs `remoteCommand` over the shared connection. */
  sshArgs(extra: readonly string[], remoteCommand: string): string[] {
    return [...clientOptions(this.settings), ...extra, ...targetArgs(this.address), remoteCommand];
  }

  /** Makes sure the shared connection is up; throws HostUnavailable naming the cause and the fix. */
  ensure(): Promise<void> {
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Runs a command on the host over the shared connection (no pty), its stdin `input`. */
  async run(remoteCommand: string, options: { input?: string; timeoutMs?: number } = {}): Promise<ProgramResult> {
    await this.ensure();
    const result = await runProgram('ssh', this.sshArgs(['-T'], remoteCommand), { env: this.env, timeoutMs: options.timeoutMs ?? 60_000, input: options.input });
    // 255 is ssh's own failure (the connection dropped or was refused): the next use checks it and remakes it.
    if (result.code === 255) this.suspect();
    return result;
  }

  /** Connects if needed, then measures a round trip over the shared connection. */
  async health(): Promise<Health> {
    try {
      await this.ensure();
      const started = process.hrtime.bigint();
      const probe = await runProgram('ssh', this.sshArgs(['-T'], 'true'), { env: this.env, timeoutMs: 20_000 });
      const latencyMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      if (probe.code !== 0) {
        // The shared connection went since it was confirmed, and the probe's own connection was refused: said as a connection's refusal is.
        this.suspect();
        return (await this.explain(probe.stderr, probe.code)).health;
      }
      return { status: 'connected', latencyMs, lastError: null, presentedKey: null };
    } catch (error) {
      if (error instanceof HostUnavailable) return error.health;
      return { status: 'error', latencyMs: null, lastError: error instanceof Error ? error.message : String(error), presentedKey: null };
    }
  }

  /** Closes the shared connection (sessions still on it end with it). */
  async close(): Promise<void> {
    this.confirmedAt = 0;
    await runProgram('ssh', [...commonOptions(this.settings), '-O', 'exit', ...targetArgs(this.address)], { env: this.env, timeoutMs: 10_000 });
  }

  private async alive(): Promise<boolean> {
    const check = await runProgram('ssh', [...commonOptions(this.settings), '-O', 'check', ...targetArgs(this.address)], { env: this.env, timeoutMs: 10_000 });
    return check.code === 0;
  }

  /** A session on it ended without its command's exit: the next use checks the connection first. */
  suspect(): void {
    this.confirmedAt = 0;
  }

  private async connect(): Promise<void> {
    // Checking costs an ssh process; a connection confirmed a moment ago is taken as it is (were it
    // gone since, a step's ssh connects by itself, only not shared).
    if (Date.now() - this.confirmedAt < confirmationValidMs) return;
    if (await this.alive()) {
      this.confirmedAt = Date.now();
      return;
    }
    mkdirSync(this.settings.folder, { recursive: true, mode: 0o700 });
    // ssh -f keeps stderr open in the background master: its messages go to a file read at its exit.
    const log = join(this.settings.folder, `connect-${this.name}.log`);
    const fd = openSync(log, 'w', 0o600);
    let code: number | null;
    try {
      code = await new Promise<number | null>((resolve) => {
        const master = spawn(
          'ssh',
          [...commonOptions(this.settings), '-o', 'ControlMaster=yes', '-o', `ControlPersist=${controlPersistSeconds}`, '-N', '-f', ...targetArgs(this.address)],
          // Its own session: a step's terminal closing or Ctrl-C in the CLI must not take it down.
          { env: this.env, stdio: ['ignore', 'ignore', fd], detached: true },
        );
        master.on('error', () => resolve(null));
        master.on('exit', (exitCode) => resolve(exitCode));
      });
    } finally {
      closeSync(fd);
    }
    const stderr = readFileSync(log, 'utf8');
    rmSync(log, { force: true });
    if (code === 0) {
      this.confirmedAt = Date.now();
      this.generation++;
      this.connected();
      return;
    }
    throw await this.explain(stderr, code);
  }

  private async explain(stderr: string, code: number | null): Promise<HostUnavailable> {
    const where = `host "${this.name}"`;
    const reason = lastLine(stderr) || (code === null ? 'ssh could not be started: is OpenSSH installed?' : `ssh exited with code ${code}`);
    const none = { latencyMs: null, presentedKey: null };
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
      let key: HostInfo['presentedKey'] = null;
      try {
        key = await changedKey(this.settings, this.address, this.env);
      } catch {
        // The new key could not be read: the message says what to do without it.
      }
      const accept = key
        ? `If the server was reinstalled, check its new key ${key.type} ${key.fingerprint} with its administrator, then replace the old one in Settings → Remote hosts, or with: photon hosts trust ${this.name} --fingerprint ${key.fingerprint} --replace`
        : `If the server was reinstalled, check the new key with its administrator, remove the old one (ssh-keygen -R HOST -f '${knownHostsFile(this.settings)}', or from ~/.ssh/known_hosts), then run: photon hosts trust ${this.name}`;
      const message = `${where}: its host key CHANGED since it was trusted, so Photon refuses to connect (this is what an attacker in the middle looks like). ${accept}`;
      return new HostUnavailable(message, { status: 'changed_key', lastError: message, latencyMs: null, presentedKey: key });
    }
    if (/host key is known|Host key verification failed/i.test(stderr)) {
      let key: HostInfo['presentedKey'] = null;
      try {
        const presented = await presentedKey(this.settings, this.address, this.env);
        key = { type: presented.type, fingerprint: presented.fingerprint };
      } catch {
        // The key could not be read: the message says what to do without it.
      }
      const message = key
        ? `${where}: its host key is not known. It presents ${key.type} ${key.fingerprint}; if that is your server's key, accept it with: photon hosts trust ${this.name} --fingerprint ${key.fingerprint}`
        : `${where}: its host key is not known and could not be read (${reason}); check the address, then run: photon hosts trust ${this.name}`;
      return new HostUnavailable(message, { status: 'unknown_key', lastError: message, latencyMs: null, presentedKey: key });
    }
    let advice = '';
    if (/Permission denied/i.test(stderr)) advice = ': the server refused every key offered; add your public key to its authorized_keys or load the right key into ssh-agent (Photon never asks for passwords)';
    else if (/Connection refused/i.test(stderr)) advice = ': nothing listens there; check that sshd runs and the port is right';
    else if (/timed out|No route to host|Network is unreachable/i.test(stderr)) advice = ': the host is unreachable; check the address and the network';
    else if (/Could not resolve hostname/i.test(stderr)) advice = ': the name does not resolve; check the address or your ~/.ssh/config';
    const message = `${where}: cannot connect: ${reason}${advice}`;
    return new HostUnavailable(message, { status: 'error', lastError: message, ...none });
  }
}

function lastLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
