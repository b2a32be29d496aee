import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { TurnTransaction } from '../../../electron/engine/storage/turn-transaction.js';
import { makeTempDir, removeDir, runToEnd, shellStep, useSandbox, withoutProcessRecording, type StepSpec } from '../helpers.js';
import { watchHost } from './host-frames.js';

/**
 * The bookkeeping of a link of a chain (the ended step's announcement, the next folder made ahead)
 * waits until the next step's program has started: done as soon as the process was asked for, it
 * held the processor that the terminal host, its spawner and the starting program needed (on 2
 * cores, the way from the request to the exec). Ordered, never timed.
 */
const sandbox = useSandbox('bookkeeping-after-start');

const chain = (n: number): StepSpec[] => Array.from({ length: n }, (_, i) => shellStep(i + 1, 'true', { dependencies: i === 0 ? [] : [i] }));

describe('a link of a chain', () => {
  withoutProcessRecording();

  it("announces the ended step once the next step's program has started, not while it starts", async () => {
    const order: string[] = [];
    const stepOf = new Map<number, number>();
    const unsubscribe = sandbox.engine.on('step.updated', ({ step }) => order.push(`announced ${step.step} ${step.status}`));
    try {
      const { status } = await watchHost(() => runToEnd(sandbox, chain(5)), {
        onSpawn: (step, id) => {
          stepOf.set(id, step);
          order.push(`spawn ${step}`);
        },
        onSpawned: (id) => order.push(`started ${stepOf.get(id)}`),
      });
      expect(status).toBe('succeeded');
    } finally {
      unsubscribe();
    }
    for (const step of [2, 3, 4, 5]) {
      expect(order.indexOf(`spawn ${step}`), order.join(', ')).toBeLessThan(order.indexOf(`started ${step}`));
      expect(order.indexOf(`started ${step}`), order.join(', ')).toBeLessThan(order.indexOf(`announced ${step - 1} succeeded`));
    }
    // Every change is still announced, once each, in order.
    for (const step of [1, 2, 3, 4, 5]) expect(order.filter((entry) => entry.startsWith(`announced ${step} `))).toEqual([`announced ${step} running`, `announced ${step} succeeded`]);
  });
});

describe('work held for a start', () => {
  let root = '';
  let db: SqliteDatabase | undefined;
  afterEach(() => {
    db?.close();
    removeDir(root);
  });

  function open(): { turn: TurnTransaction; value: () => number; set: (value: number) => void } {
    root = makeTempDir('held-for-start');
    db = openDatabase(join(root, 'photon.db'));
    db.exec('CREATE TABLE t (v INTEGER)');
    db.exec('INSERT INTO t VALUES (0)');
    const opened = db;
    const turn = new TurnTransaction(opened);
    return {
      turn,
      value: () => (opened.prepare('SELECT v FROM t').get() as { v: number }).v,
      set: (value) => void turn.write(() => opened.prepare('UPDATE t SET v = ?').run(value)),
    };
  }

  const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('runs once the start settles, and reads what its turn stored', async () => {
    const { turn, value, set } = open();
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const seen: number[] = [];
    const atOnce: number[] = [];
    set(1);
    turn.afterStart(started);
    turn.afterCommit(() => seen.push(value()));
    turn.afterCommitAtOnce(() => atOnce.push(value()));
    await endOfTurn();
    // The turn is over; what was kept for the next step's start has run, the rest waits.
    expect(atOnce).toEqual([1]);
    expect(seen).toEqual([]);
    start();
    await endOfTurn();
    expect(seen).toEqual([1]);
  });

  it('runs before a later write, which it would otherwise see: a step that ended before its start was heard was still announced running', async () => {
    const { turn, value, set } = open();
    const seen: number[] = [];
    set(1);
    turn.afterStart(new Promise<void>(() => undefined));
    turn.afterCommit(() => seen.push(value()));
    await endOfTurn();
    expect(seen).toEqual([]);
    set(2);
    expect(seen).toEqual([1]);
    await endOfTurn();
    expect(value()).toBe(2);
    expect(seen).toEqual([1]);
  });
});
