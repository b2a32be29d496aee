import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../../electron/engine/storage/index.js';
import { runToEnd, shellStep, useSandbox, withoutProcessRecording, type StepSpec } from '../helpers.js';
import { watchHost } from './host-frames.js';

/**
 * The way from one step's end to the next one's start, counted and ordered (never timed): in a
 * chain every link waits for it (bench/dag.bench.ts). The next step's process is asked for in the
 * turn of the event loop that hears the last one end, before that end is announced, and only once
 * the row saying it runs is committed (what recovery after a crash goes by).
 */
const sandbox = useSandbox('step-handover');

const chain = (n: number): StepSpec[] => Array.from({ length: n }, (_, i) => shellStep(i + 1, 'true', { dependencies: i === 0 ? [] : [i] }));

describe('from one step of a chain to the next', () => {
  withoutProcessRecording();
  const readers: Database.Database[] = [];
  afterEach(() => {
    for (const reader of readers.splice(0)) reader.close();
  });

  it("asks for the next step's process in the turn that hears the last one end: no wait for the thread pool on the way", async () => {
    const links = 12;
    let turnOver = false;
    const inTurn: boolean[] = [];
    await watchHost(() => runToEnd(sandbox, chain(links + 1)), {
      onExit: () => {
        turnOver = false;
        // Runs once the turn that handles the exit is over (after its poll phase, before the next one).
        setImmediate(() => (turnOver = true));
      },
      onSpawn: (step) => {
        if (step > 1) inTurn.push(!turnOver);
      },
    });
    expect(inTurn).toHaveLength(links);
    // The end of a step is searched for processes it left; on a machine starting many processes
    // that search may read /proc on the thread pool, and that link waits a turn for it.
    expect(inTurn.filter(Boolean).length).toBeGreaterThanOrEqual(links - 3);
  });

  it('commits the row saying the next step runs before asking for its process, and announces the last step\'s end after', async () => {
    const order: string[] = [];
    const unsubscribe = sandbox.engine.on('step.updated', ({ step }) => order.push(`announced ${step.step} ${step.status}`));
    let reader: Database.Database | undefined;
    const committed: (string | undefined)[] = [];
    try {
      await watchHost(() => runToEnd(sandbox, chain(4)), {
        onSpawn: (step) => {
          order.push(`spawn ${step}`);
          // Another connection sees only what is committed, as an engine recovering after a SIGKILL would.
          if (!reader) {
            reader = new Database(join(sandbox.dataDir, databaseFileName), { readonly: true });
            readers.push(reader);
          }
          const row = reader.prepare(`SELECT a.status FROM attempts a JOIN runs r ON r.id = a.run_id WHERE r.status = 'running' AND a.step = ? AND a.attempt = 1`).get(step) as { status: string } | undefined;
          committed.push(row?.status);
        },
      });
    } finally {
      unsubscribe();
    }
    expect(committed).toEqual(['running', 'running', 'running', 'running']);
    for (const step of [2, 3, 4]) {
      expect(order.indexOf(`spawn ${step}`)).toBeGreaterThan(-1);
      expect(order.indexOf(`spawn ${step}`)).toBeLessThan(order.indexOf(`announced ${step - 1} succeeded`));
    }
    // Each change is still announced, once, in order.
    expect(order.filter((entry) => entry.startsWith('announced 2 '))).toEqual(['announced 2 running', 'announced 2 succeeded']);
  });
});
