/**
 * An engine in a process of its own (test/fixtures/run-engine.ts), for tests that kill it with
 * SIGKILL mid-run and recover its runs with a new engine on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readPid, repoRoot } from './helpers.js';

export interface EngineProcess {
  process: ChildProcess;
  /** The id of the run the process started (the first line it prints). */
  runId: Promise<string>;
  exited: Promise<number | null>;
}

/** Starts an engine process on dataDir that runs the workflow in workflowFile. */
export function startEngineProcess(dataDir: string, workflowFile: string): EngineProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'run-engine.ts'), dataDir, workflowFile], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const runId = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      if (lines.length > 1) resolve(lines[0]!);
    });
    child.once('exit', (code) => reject(new Error(`the engine process ended (${code}) before starting a run: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, runId, exited };
}

/** Kills an engine process a test left running (it failed before killing it). */
export function stopEngineProcess(child: ChildProcess | undefined): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Should a test fail midway, stops the processes its steps started and recorded in the files
 * `names` of folder (each holding a pid): the process group and the process itself.
 */
export function killRecordedProcesses(folder: string, names: string[]): void {
  for (const name of names) {
    const file = join(folder, name);
    if (!existsSync(file)) continue;
    const pid = readPid(file);
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
