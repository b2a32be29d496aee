/**
 * Shared pieces of the engine tests: a temporary data folder and work folder per test, an engine
 * on them, workflow builders and process checks that read /proc (this machine's PID 1 does not
 * reap zombies, so a zombie counts as dead).
 */
import Database from 'better-sqlite3';
import { createHook } from 'node:async_hooks';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../electron/engine/index.js';
import { processRecording } from '../../electron/engine/runs/attempt-runner.js';
import { readStat } from '../../electron/engine/terminals/process-group.js';
import type { RunDetail, RunStatus } from '../../shared/runs.js';

export const repoRoot = join(import.meta.dirname, '..', '..');

export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `photon-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Closes what each test of the file opened, after it, in the reverse order (a connection before
 * the engine, the engine before its folder), and restores every spy. Called once at the top of a
 * file; the function it returns registers each thing as it is opened.
 */
export function closedAfterEach(): (close: () => unknown) => void {
  const closes: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closes.splice(0).reverse()) await close();
    vi.restoreAllMocks();
  });
  return (close) => void closes.push(close);
}

/** Tests kill quickly: a short grace between SIGTERM and SIGKILL. */
export const testKillGraceMs = 150;

export function startEngine(dataDir: string, options: Partial<EngineOptions> = {}): Promise<Engine> {
  return createEngine({ dataDir, host: 'cli', killGraceMs: testKillGraceMs, ...options });
}

export interface Sandbox {
  /** The engine's data folder (database, attempt logs). */
  dataDir: string;
  /** The folder steps run in; commands write their evidence here. */
  work: string;
  engine: Engine;
}

/** A fresh temporary data folder, work folder and engine for each test, removed after it. */
export function useSandbox(label: string, options: Partial<EngineOptions> = {}): Sandbox {
  const sandbox = {} as Sandbox;
  let root = '';
  beforeEach(async () => {
    root = makeTempDir(label);
    sandbox.dataDir = join(root, 'data');
    sandbox.work = join(root, 'work');
    mkdirSync(sandbox.work);
    sandbox.engine = await startEngine(sandbox.dataDir, options);
  });
  afterEach(async () => {
    await sandbox.engine.close();
    removeDir(root);
  });
  return sandbox;
}

export interface StepSpec {
  step: number;
  platform: string;
  inputs: Record<string, unknown>;
  dependencies: number[];
  [key: string]: unknown;
}

export function shellStep(step: number, command: string, extra: Partial<StepSpec> = {}): StepSpec {
  return { step, platform: 'shell', inputs: { command }, dependencies: [], ...extra };
}

export function workflowOf(steps: StepSpec[], name = 'test workflow'): { name: string; workflow: StepSpec[] } {
  return { name, workflow: steps };
}

/** Starts a run in the sandbox's work folder and waits for its end. */
export async function runToEnd(
  sandbox: Sandbox,
  steps: StepSpec[],
  concurrency?: number,
): Promise<{ runId: string; status: RunStatus; detail: RunDetail }> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf(steps), baseDir: sandbox.work, concurrency });
  const status = await sandbox.engine.waitForRun(runId);
  const detail = await sandbox.engine.call('runs.get', { runId });
  return { runId, status, detail };
}

export function stepOf(detail: RunDetail, step: number): RunDetail['steps'][number] {
  const found = detail.steps.find((s) => s.step === step);
  if (!found) throw new Error(`run has no step ${step}`);
  return found;
}

/** Shell text that records, in `file`, nanosecond times at the start and end of `body`. */
export function stamped(file: string, body: string): string {
  return `echo "start $(date +%s%N)" >> ${file}; ${body}; echo "end $(date +%s%N)" >> ${file}`;
}

export interface Interval {
  start: number;
  end: number;
}

/** The interval written by `stamped`, in milliseconds (fractional). */
export function readInterval(file: string): Interval {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const value = (label: string) => {
    const line = lines.find((l) => l.startsWith(`${label} `));
    if (!line) throw new Error(`${file} has no ${label} time`);
    return Number(BigInt(line.slice(label.length + 1)) / 1000n) / 1000;
  };
  return { start: value('start'), end: value('end') };
}

/** The largest number of intervals open at the same instant. */
export function maxOverlap(intervals: readonly Interval[]): number {
  const points = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ]);
  // Ends before starts at the same instant: touching intervals do not overlap.
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let most = 0;
  for (const point of points) {
    open += point.delta;
    most = Math.max(most, open);
  }
  return most;
}

/**
 * Shell text that starts a background job ignoring SIGHUP, as a `nohup` job or a trap does: the
 * hang-up the kernel sends when the step's shell exits does not kill it. It also drops one of the
 * attempt's marks (PHOTON_RUN_ID), as a program that replaces its environment does, so that the
 * engine's search for marked processes cannot find it either: only the signal to its process group
 * stops it. It writes its pid to `file` only once the trap is set: a test that waits for the file
 * stops it when it is already immune.
 */
export function hangupImmuneJob(file: string): string {
  return `env -u PHOTON_RUN_ID sh -c 'trap "" HUP; echo $$ > ${file}; exec sleep 300' &`;
}

/** Gone, or a zombie nobody reaped: either way it runs no more. */
export function isDead(pid: number): boolean {
  const stat = readStat(pid);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}

/** Live (non-zombie) processes whose process group is `pgid`. */
export function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const stat = readStat(pid);
      return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X';
    });
}

function pidIn(file: string): number | null {
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether `file` holds a pid yet: a shell's `echo $$ > file` creates the file before it writes. */
export function holdsPid(file: string): boolean {
  return existsSync(file) && pidIn(file) !== null;
}

export function readPid(file: string): number {
  const pid = pidIn(file);
  if (pid === null) throw new Error(`${file} holds no pid`);
  return pid;
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A second connection to the engine's database, as another process would see it. */
export function openDatabaseFile(dataDir: string): Database.Database {
  return new Database(join(dataDir, 'photon.db'));
}

export const isoWithMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * For the enclosing describe: no process identity is recorded for a step (that waits until it has
 * run 500 ms), so what a counting test counts is the same on a loaded machine as on a quiet one.
 */
export function withoutProcessRecording(): void {
  let recordAfter: number;
  beforeAll(() => {
    recordAfter = processRecording.afterMs;
    processRecording.afterMs = 60 * 60 * 1000;
  });
  afterAll(() => {
    processRecording.afterMs = recordAfter;
  });
}

/**
 * How many statements whose SQL matches `sql` run (through better-sqlite3's Statement#run) while
 * `work` runs, in this process: what a counting test counts instead of timing.
 */
export async function statementsRun(sql: RegExp, work: () => Promise<unknown>): Promise<number> {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  const run = statement.run;
  let count = 0;
  statement.run = function (this: { source: string }, ...args: unknown[]) {
    if (sql.test(this.source)) count++;
    return run.apply(this, args);
  };
  try {
    await work();
  } finally {
    statement.run = run;
  }
  return count;
}

/**
 * How many more async resources of `type` (async_hooks' names: 'Timeout', 'FSREQPROMISE'...) a
 * 21-step chain of `true` makes than a 1-step run: what each step of a big workflow adds, counted
 * instead of timed. A 2-step run first warms what a run makes once. Resources made where the
 * stack at their making matches `unlessMadeBy` are not counted: what the machine's other
 * processes cause, not the steps.
 */
export async function resourcesAddedBySteps(sandbox: Sandbox, type: string, unlessMadeBy?: RegExp): Promise<number> {
  let made = 0;
  const hook = createHook({
    init(_id, madeType) {
      if (madeType === type && !(unlessMadeBy && unlessMadeBy.test(new Error().stack ?? ''))) made++;
    },
  });
  const count = async (steps: number) => {
    made = 0;
    hook.enable();
    try {
      await runToEnd(sandbox, Array.from({ length: steps }, (_, i) => shellStep(i + 1, 'true', { dependencies: i === 0 ? [] : [i] })));
    } finally {
      hook.disable();
    }
    return made;
  };
  await count(2);
  const one = await count(1);
  return (await count(21)) - one;
}

/** Waits until `probe` gives a value (not undefined), which it returns; checked every 50 ms. */
export async function waitForValue<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
