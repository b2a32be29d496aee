import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const photonBin = join(repoRoot, 'bin', 'photon.js');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real CLI in its own process, as a user starts it: `node bin/photon.js ARGS`. */
export function startPhoton(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<Finished>; stdout: () => string; stderr: () => string } {
  const env = { ...process.env, ...options.env };
  delete env.PHOTON_DATA_DIR;
  if (options.env?.PHOTON_DATA_DIR) env.PHOTON_DATA_DIR = options.env.PHOTON_DATA_DIR;
  const child = spawn(process.execPath, [photonBin, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

export function photon(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
  return startPhoton(args, options).done;
}

/**
 * A real `photon serve` (with `flags`) on the data folder, on a port it picks. Returned at once, so
 * the caller can stop it whatever happens; `ready` resolves once it printed its address, with the
 * port and token in it and all it printed by then, and rejects with its stderr if it exited first.
 */
export function startServe(dataDir: string, flags: readonly string[] = []): ReturnType<typeof startPhoton> & { ready: Promise<{ port: number; token: string; stdout: string }> } {
  const server = startPhoton(['serve', '--port', '0', ...flags, '--data-dir', dataDir]);
  const ready = (async () => {
    await waitUntil(() => /^Photon is running at /m.test(server.stdout()) || server.child.exitCode !== null, 60_000, "photon serve's address");
    const stdout = server.stdout();
    const printed = /^Photon is running at https?:\/\/\S*?:(\d+)\/\?token=(\S+)$/m.exec(stdout);
    if (!printed) throw new Error(`photon serve printed no address (exit ${server.child.exitCode}): ${server.stderr()}`);
    return { port: Number(printed[1]), token: printed[2]!, stdout };
  })();
  return { ...server, ready };
}

/**
 * A real `photon daemon` on the data folder, on a port it picks. Returned at once, so the caller can
 * stop it whatever happens; `ready` resolves with what its discovery file says once it wrote it, and
 * rejects with its stderr if it exited first.
 */
export function startDaemon(dataDir: string): ReturnType<typeof startPhoton> & { ready: Promise<{ url: string; pid: number }> } {
  const daemon = startPhoton(['daemon', '--port', '0', '--data-dir', dataDir]);
  const discovery = join(dataDir, 'daemon.json');
  const ready = (async () => {
    await waitUntil(() => existsSync(discovery) || daemon.child.exitCode !== null, 60_000, "the daemon's discovery file");
    if (!existsSync(discovery)) throw new Error(`photon daemon exited with ${daemon.child.exitCode} before it listened: ${daemon.stderr()}`);
    return JSON.parse(readFileSync(discovery, 'utf8')) as { url: string; pid: number };
  })();
  return { ...daemon, ready };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and collects its output; `input`, when given, is piped to its stdin. */
export function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** A temporary folder for one test: workflow files beside a data folder of their own. */
export function tempFolder(): { dir: string; dataDir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'photon-cli-'));
  return { dir, dataDir: join(dir, 'data'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestStep {
  step: number;
  command: string;
  dependencies?: number[];
  [key: string]: unknown;
}

/** Writes a shell workflow file and returns its path. */
export function writeWorkflow(dir: string, name: string, steps: readonly TestStep[], file = `${name.replace(/\W+/g, '-')}.json`): string {
  const workflow = {
    name,
    workflow: steps.map(({ step, command, dependencies = [], ...rest }) => ({ step, platform: 'shell', inputs: { command }, dependencies, ...rest })),
  };
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(workflow, null, 2));
  return path;
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a process runs (a zombie nobody reaped yet counts as dead). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    if (process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
