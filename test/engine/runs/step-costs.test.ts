import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail, StepState } from '../../../shared/runs.js';
import { runToEnd, shellStep, useSandbox, withoutProcessRecording, type StepSpec } from '../helpers.js';

/**
 * What each step of a big workflow costs the engine, counted (never timed): a step of `true` is
 * cheap, so what Photon adds around it is most of its price (bench/dag.bench.ts).
 */
// The metrics sampler reads and writes the database once a second while anything runs, and
// maintains its tables once a minute: more of that falls into a longer run, and more again on a
// loaded machine, whatever a step costs. Its next tick an hour away, it stays out of the counts.
const hour = 60 * 60 * 1000;
const sandbox = useSandbox('step-costs', { metrics: { sampleIntervalMs: hour, maintenanceIntervalMs: hour } });

describe('a step that prints nothing', () => {
  it('leaves no log file, while one that prints has all of its output in its log when the run ends', async () => {
    // More than one write of the pty and of the log: the log is whole, not its first chunk.
    const big = 'printf "%0200000d" 0';
    const { runId, status, detail } = await runToEnd(sandbox, [shellStep(1, 'true'), shellStep(2, big), shellStep(3, 'exit 3')]);
    expect(status).toBe('failed');
    const runData = join(sandbox.dataDir, 'runs', runId);
    expect(existsSync(join(runData, 'step-1', 'attempt-1.log'))).toBe(false);
    expect(existsSync(join(runData, 'step-3', 'attempt-1.log'))).toBe(false);
    expect(readFileSync(join(runData, 'step-2', 'attempt-1.log'), 'utf8')).toBe('0'.repeat(200_000));
    expect(detail.steps.find((s) => s.step === 2)?.output).toHaveLength(200_000);
  });
});

describe("the database's work for each step", () => {
  withoutProcessRecording();

  // A terminal of its own keeps the sampler awake, so no step's start wakes it for a first tick of
  // its own: its one tick comes here, before anything is counted.
  let awake: string | undefined;
  beforeEach(async () => {
    const ticked = new Promise<void>((resolve) => {
      const unsubscribe = sandbox.engine.on('metrics.tick', () => (unsubscribe(), resolve()));
    });
    awake = (await sandbox.engine.call('terminals.create', { cwd: sandbox.work, command: 'sleep 600' })).id;
    await ticked;
  });
  afterEach(async () => {
    if (awake) await sandbox.engine.call('terminals.kill', { id: awake });
    awake = undefined;
  });

  /**
   * Statements prepared and written, transactions committed, steps read back one by one or
   * together, attempts' rows read (what an announcement's usage sums look up), and transaction
   * wrappers made (`db.transaction()`), while `work` runs.
   */
  async function counted(work: () => Promise<unknown>): Promise<{ prepared: number; writes: number; commits: number; stepReads: number; attemptReads: number; wrappers: number }> {
    const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown; get: (...args: unknown[]) => unknown; all: (...args: unknown[]) => unknown };
    const { prepare, transaction } = Database.prototype;
    const { run, get, all } = statement;
    const counts = { prepared: 0, writes: 0, commits: 0, stepReads: 0, attemptReads: 0, wrappers: 0 };
    const readsAttempts = (source: string) => /^\s*SELECT\b[^]*\bFROM attempts\b/i.test(source);
    // A step's row as announced (not the run's whole list of steps, which a view reads).
    const readsSteps = (source: string) => /FROM steps WHERE run_id = \? AND step (=|IN)/.test(source);
    statement.get = function (this: { source: string }, ...args: unknown[]) {
      if (readsSteps(this.source)) counts.stepReads++;
      if (readsAttempts(this.source)) counts.attemptReads++;
      return get.apply(this, args);
    };
    statement.all = function (this: { source: string }, ...args: unknown[]) {
      if (readsSteps(this.source)) counts.stepReads++;
      if (readsAttempts(this.source)) counts.attemptReads++;
      return all.apply(this, args);
    };
    Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
      counts.prepared++;
      return prepare.apply(this, args);
    } as typeof prepare;
    Database.prototype.transaction = function (this: Database.Database, ...args: Parameters<typeof transaction>) {
      counts.wrappers++;
      return transaction.apply(this, args);
    } as typeof transaction;
    statement.run = function (this: { source: string }, ...args: unknown[]) {
      if (/^\s*COMMIT/i.test(this.source)) counts.commits++;
      else if (/^\s*(INSERT|UPDATE|DELETE)\b[^]*\b(runs|steps|attempts)\b/i.test(this.source)) counts.writes++;
      return run.apply(this, args);
    };
    try {
      await work();
    } finally {
      Object.assign(Database.prototype, { prepare, transaction });
      Object.assign(statement, { run, get, all });
    }
    return counts;
  }

  const steps = (n: number): StepSpec[] => Array.from({ length: n }, (_, i) => shellStep(i + 1, 'true', { dependencies: i === 0 ? [] : [i] }));

  it('prepares no statement again, and writes a chain in one transaction a step: its start with the end of the step before', async () => {
    // The first run prepares what every run needs.
    await runToEnd(sandbox, steps(2));
    const one = await counted(() => runToEnd(sandbox, steps(1)));
    const many = await counted(() => runToEnd(sandbox, steps(21)));
    const perStep = (key: keyof typeof one) => (many[key] - one[key]) / 20;
    expect(perStep('prepared')).toBe(0);
    // Its start and its end each write together (a savepoint); the wrapper for that is made once, not per write.
    expect(perStep('wrappers')).toBe(0);
    // One turn of the event loop hears a step end and starts the next: one commit for both (turn-transaction.ts).
    expect(perStep('commits')).toBe(1);
    // Its row with the run's; its attempt written as running (with its agent and platform, in one
    // statement) and its step; then both as ended. Reading its process's start time and writing it
    // down is left to steps that run longer.
    expect(perStep('writes')).toBe(5);
  });

  it("announces a chain's plain steps as it wrote them, reading none of them back", async () => {
    const announced: StepState[] = [];
    const unsubscribe = sandbox.engine.on('step.updated', ({ step }) => void announced.push(step));
    try {
      await runToEnd(sandbox, steps(2));
      announced.length = 0;
      let stored: RunDetail | undefined;
      const { stepReads } = await counted(async () => void ({ detail: stored } = await runToEnd(sandbox, [...steps(19), shellStep(20, 'exit 3', { dependencies: [19] })])));
      // A read a turn (a step's end with the next one's start) was 21 for 20 steps; one a change, 40.
      expect(stepReads).toBe(0);
      // What was announced last of each step is what the file holds.
      const last = new Map(announced.map((step) => [step.step, step]));
      expect(stored!.steps.map((step) => last.get(step.step))).toEqual(stored!.steps);
      expect(last.get(20)).toMatchObject({ status: 'failed', exitCode: 3, error: 'exited with code 3' });
    } finally {
      unsubscribe();
    }
  });

  it("announces a plain shell step from its own row: no attempt's row is read for usage it cannot have", async () => {
    const unsubscribe = sandbox.engine.on('step.updated', () => {});
    try {
      await runToEnd(sandbox, steps(2));
      // What a run reads once (its detail as it ends) is the same for 1 step and for 21.
      const one = await counted(() => runToEnd(sandbox, steps(1)));
      const many = await counted(() => runToEnd(sandbox, steps(21)));
      // The full read looks up an announced step's attempts six times (its session, five usage sums): about 6 a step.
      expect(many.attemptReads - one.attemptReads).toBe(0);
    } finally {
      unsubscribe();
    }
  });

  it("rewrites about four pages of the write-ahead log for each step of a chain: the indexes hold only the rows their queries ask for", async () => {
    // Another connection to the engine's file, as any reader: the frames in the log are what the engine's commits wrote.
    const db = new Database(join(sandbox.dataDir, 'photon.db'));
    const framesWritten = async (n: number) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      await runToEnd(sandbox, steps(n));
      return (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
    };
    try {
      await runToEnd(sandbox, steps(2));
      const one = await framesWritten(1);
      const many = await framesWritten(21);
      // A plain step's attempt and step rows, each in its table and in the index of what has ended:
      // about 4 pages a step (with every secondary index over every row, about 7).
      expect((many - one) / 20).toBeLessThanOrEqual(5.5);
    } finally {
      db.close();
    }
  });

  it('commits a 100-step graph at most once per step that ends, whatever the order its steps end in', async () => {
    // 10 layers of 10, each step on two of the layer before; two at a time.
    const graph: StepSpec[] = Array.from({ length: 100 }, (_, i) => {
      const layer = Math.floor(i / 10);
      return shellStep(i + 1, 'true', { dependencies: layer === 0 ? [] : [(layer - 1) * 10 + (i % 10) + 1, (layer - 1) * 10 + ((i + 3) % 10) + 1] });
    });
    await runToEnd(sandbox, steps(2));
    const { commits } = await counted(() => runToEnd(sandbox, graph, 2));
    // The run's creation, its first turn, then a turn for each step that ends (with the starts it allows).
    expect(commits).toBeLessThanOrEqual(100 + 2);
  });
});
