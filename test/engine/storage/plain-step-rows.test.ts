// Plain steps' rows as the repository wrote them (plain-step-rows.ts), which their announcements
// read instead of the file: a write the file does not keep (a stretch SQLite refused, a savepoint
// rolled back by an error) must not be announced. Real SQLite file; the refusal is a real
// SQLITE_FULL (PRAGMA max_page_count on the connection itself).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, RunsRepository, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { TurnTransaction } from '../../../electron/engine/storage/turn-transaction.js';
import { makeTempDir, removeDir } from '../helpers.js';

/** Lets the stretch written so far end (its commit is a microtask queued at its first write). */
const endOfStretch = () => new Promise((resolve) => setImmediate(resolve));

describe("plain steps' rows as written", () => {
  let root = '';
  let db: SqliteDatabase | undefined;
  afterEach(() => {
    db?.close();
    removeDir(root);
  });

  async function open(): Promise<RunsRepository> {
    root = makeTempDir('plain-step-rows');
    db = openDatabase(join(root, 'photon.db'));
    const repo = new RunsRepository(db, new TurnTransaction(db));
    repo.onWriteFailure(() => {});
    repo.createRun({ id: 'run-a', workflowId: null, workflowName: 'a', definition: '{}', status: 'running', concurrency: 1, baseDir: root, owner: null, createdAt: 'then', startedAt: 'then', steps: [1, 2] });
    await endOfStretch();
    return repo;
  }

  /** The steps as the announcements read them, and as the file holds them. */
  const bothViews = (repo: RunsRepository) => ({
    announced: repo.getStepsNumbered('run-a', [1, 2], true).map(({ step, status, attempts, output }) => ({ step, status, attempts, output })),
    stored: [1, 2].map((n) => repo.getStep('run-a', n)!).map(({ step, status, attempts, output }) => ({ step, status, attempts, output })),
  });

  it('are what the file holds after writes that landed', async () => {
    const repo = await open();
    repo.updateStep('run-a', 1, { status: 'running', attempts: 1 });
    repo.transaction(() => repo.updateStep('run-a', 2, { status: 'skipped', output: '' }));
    await endOfStretch();
    const { announced, stored } = bothViews(repo);
    expect(announced).toEqual(stored);
    expect(announced[0]).toEqual({ step: 1, status: 'running', attempts: 1, output: null });
  });

  it('are read from the file again after a stretch SQLite refused', async () => {
    const repo = await open();
    expect(db!.pragma('freelist_count', { simple: true })).toBe(0);
    db!.pragma(`max_page_count = ${db!.pragma('page_count', { simple: true }) as number}`);
    // The first write lands in the stretch; the second has no room, and the whole stretch is rolled back.
    repo.updateStep('run-a', 1, { status: 'running', attempts: 1 });
    repo.updateStep('run-a', 2, { output: 'x'.repeat(200_000) });
    await endOfStretch();
    const { announced, stored } = bothViews(repo);
    expect(stored[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(announced).toEqual(stored);
  });

  it('are read from the file again after a savepoint an error rolled back', async () => {
    const repo = await open();
    expect(() =>
      repo.transaction(() => {
        repo.updateStep('run-a', 1, { status: 'running', attempts: 1 });
        throw new Error('a bug in the middle of a step change');
      }),
    ).toThrow('a bug in the middle');
    await endOfStretch();
    const { announced, stored } = bothViews(repo);
    expect(stored[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(announced).toEqual(stored);
  });
});
