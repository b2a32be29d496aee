/**
 * An engine in a process of its own (test/fixtures/run-engine.ts), for tests that kill it with
 * SIGKILL mid-run and recover its runs with a new engine on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Engine } from '../../electron/engine/index.js';
import { bundled } from '../fixtures/bundled.js';
import { makeTempDir, readPid, removeDir, repoRoot, startEngine } from './helpers.js';

/** test/fixtures/run-engine.ts as one file for plain `node` (see bundled.ts): `node runEngine DATA_DIR WORKFLOW_FILE`. */
export const runEngine = await bundled('test/fixtures/run-engine.ts');

export interface EngineProcess {
  process: ChildProcess;
  /** The id of the run the process started (the first line it prints). */
  runId: Promise<string>;
  exited: Promise<number | null>;
}

/** Starts an engine process on dataDir that runs the workflow in workflowFile. */
export function startEngineProcess(dataDir: string, workflowFile: string): EngineProcess {
  const child = spawn(process.execPath, [runEngine, dataDir, workflowFile], {
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
function stopEngineProcess(child: ChildProcess | undefined): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Should a test fail midway, stops the processes its steps started and recorded in the files
 * `names` of folder (each holding a pid): the process group and the process itself.
 */
function killRecordedProcesses(folder: string, names: readonly string[]): void {
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

export interface EngineCrashTest {
  /** The data folder both engines share. */
  readonly dataDir: string;
  /** The steps' folder, where they record their processes' pids. */
  readonly work: string;
  /** Starts the engine process that is to be killed; stopped after the test if still running. */
  start(workflowFile: string): EngineProcess;
  /** The new engine on the same data folder, closed after the test. */
  recover(): Promise<Engine>;
  /** Closes the new engine before the test ends. */
  closeEngine(): Promise<void>;
}

/**
 * A fresh temporary folder per test, and after it: the engines closed or killed, the processes
 * the steps recorded in the files `recorded` (of `work`) killed, the folder removed.
 */
export function useEngineCrashTest(prefix: string, recorded: readonly string[]): EngineCrashTest {
  let root = '';
  let fixture: ChildProcess | undefined;
  let engine: Engine | undefined;

  beforeEach(() => {
    root = makeTempDir(prefix);
    mkdirSync(join(root, 'work'));
  });

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    stopEngineProcess(fixture);
    fixture = undefined;
    killRecordedProcesses(join(root, 'work'), recorded);
    removeDir(root);
  });

  return {
    get dataDir() {
      return join(root, 'data');
    },
    get work() {
      return join(root, 'work');
    },
    start(workflowFile) {
      const started = startEngineProcess(join(root, 'data'), workflowFile);
      fixture = started.process;
      return started;
    },
    async recover() {
      engine = await startEngine(join(root, 'data'));
      return engine;
    },
    async closeEngine() {
      await engine?.close();
      engine = undefined;
    },
  };
}
