// The turn transaction when SQLite refuses a write: here another program holds the database's write
// lock past the busy timeout (a real second connection on a real file), so BEGIN IMMEDIATE is refused
// with SQLITE_BUSY. Nothing is thrown at the engine's code; the stretch is lost as a whole and said
// once, with whose writes it held; those runs' later writes wait until they are set right.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, RunsRepository, type SqliteDatabase, type WriteFailure } from '../../../electron/engine/storage/index.js';
import { TurnTransaction } from '../../../electron/engine/storage/turn-transaction.js';
import { makeTempDir, removeDir } from '../helpers.js';

/** Lets the stretch written so far end (its commit is a microtask queued at its first write). */
const endOfStretch = () => new Promise((resolve) => setImmediate(resolve));

describe('a stretch of writes SQLite refuses', () => {
  let root = '';
  let db: SqliteDatabase | undefined;
  let other: Database.Database | undefined;
  afterEach(() => {
    other?.close();
    db?.close();
    removeDir(root);
  });

  function open(): { repo: RunsRepository; file: string; failures: WriteFailure[] } {
    root = makeTempDir('turn-refused');
    const file = join(root, 'photon.db');
    db = openDatabase(file);
    // Held off a little, not the engine's 5 s: the lock below is never let go in time.
    db.pragma('busy_timeout = 50');
    const repo = new RunsRepository(db, new TurnTransaction(db));
    const failures: WriteFailure[] = [];
    repo.onWriteFailure((failure) => failures.push(failure));
    for (const id of ['run-a', 'run-b', 'run-c']) {
      repo.createRun({ id, workflowId: null, workflowName: id, definition: '{}', status: 'running', concurrency: 1, baseDir: root, owner: null, createdAt: 'then', startedAt: 'then', steps: [1] });
    }
    other = new Database(file);
    return { repo, file, failures };
  }

  it('loses it whole, says so once with the fix, and keeps its runs out until they are released', async () => {
    const { repo, file, failures } = open();
    await endOfStretch();
    other!.prepare('BEGIN IMMEDIATE').run();

    // Neither write throws: they are made where a pty's exit or a timer would have crashed on it.
    repo.updateRun('run-a', { status: 'failed' });
    repo.transaction(() => repo.updateStep('run-b', 1, { status: 'running' }));
    await endOfStretch();

    expect(failures).toHaveLength(1);
    expect(failures[0]!.error.message).toBe(
      `cannot write Photon's history at ${file}: database is locked; another program held its write lock too long (another Photon on the same data folder, or a tool with the file open); close it and resume the run`,
    );
    expect([...failures[0]!.owners].sort()).toEqual(['run-a', 'run-b']);

    other!.prepare('ROLLBACK').run();
    // Their writes wait for release; another run's land.
    repo.updateRun('run-a', { status: 'cancelled' });
    repo.updateStep('run-b', 1, { status: 'succeeded' });
    repo.updateRun('run-c', { status: 'succeeded' });
    await endOfStretch();
    expect(failures).toHaveLength(1);
    expect([repo.getRun('run-a')!.status, repo.getStep('run-b', 1)!.status, repo.getRun('run-c')!.status]).toEqual(['running', 'pending', 'succeeded']);

    repo.release('run-a');
    repo.updateRun('run-a', { status: 'failed' });
    await endOfStretch();
    expect(repo.getRun('run-a')!.status).toBe('failed');
  });

  it('throws the message from an explicit commit, and a write that is wrong rather than refused as before', async () => {
    const { repo, failures } = open();
    await endOfStretch();
    other!.prepare('BEGIN IMMEDIATE').run();
    repo.updateRun('run-c', { status: 'failed' });
    expect(() => repo.commit()).toThrow(/^cannot write Photon's history at .*: database is locked; /);
    expect([...failures[0]!.owners]).toEqual(['run-c']);
    other!.prepare('ROLLBACK').run();

    // A bug is not the disk's refusal: an attempt of a run that does not exist breaks a foreign key.
    expect(() => repo.insertAttempt({ runId: 'no-such-run', step: 1, attempt: 1, startedAt: 'now', outputPath: 'log', process: null })).toThrow(/FOREIGN KEY/);
    await endOfStretch();
    expect(failures).toHaveLength(1);
  });
});
