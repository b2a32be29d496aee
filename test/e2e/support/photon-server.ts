import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readyLine = /Photon is running at (http:\/\/\S+)/;

export interface PhotonServer {
  /** The address the CLI printed, with the token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** Everything the process wrote so far, for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace) and waits for it to exit. */
  stop(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'photon-e2e-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ServerOptions {
  /** Changes to the environment the server inherits (e.g. PATH with stand-in tools); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** The checkout whose bin/photon.js is started (default: this one), e.g. a worktree of another commit for an A/B bench. */
  root?: string;
}

/** This process's environment with `changes` applied. */
export function serverEnv(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts `node bin/photon.js serve --port PORT --data-dir DIR` and reads its address from stdout. */
export function startPhotonServer(dataDir: string, port = 0, options: ServerOptions = {}): Promise<PhotonServer> {
  const root = options.root ?? repoRoot;
  const child = spawn(process.execPath, [join(root, 'bin', 'photon.js'), 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: root,
    env: { ...serverEnv(options.env), PHOTON_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  return new Promise<PhotonServer>((resolveServer, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`photon serve did not print its address within 30 s:\n${output}`));
    }, 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`photon serve exited early (code ${code}, signal ${signal}):\n${output}`));
    });
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = readyLine.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = new URL(match[1]!);
      resolveServer({
        url: url.href,
        origin: url.origin,
        port: Number(url.port),
        token: url.searchParams.get('token') ?? '',
        dataDir,
        log: () => output,
        stop: () => stopChild(child, exited),
      });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Runs the `photon` CLI to completion (for changes made while no browser is connected). */
export function runPhotonCli(args: string[], dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'photon.js'), ...args, '--data-dir', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, PHOTON_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((done) => child.once('exit', (code) => done({ code, output })));
}
