/**
 * A page of runs is read once per change of the database: the same page while nothing changed, a
 * fresh one after any write through this connection or a commit through another one (another
 * Photon process on the same data folder). Real SQLite in a temporary folder, two connections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';

let dir = '';
let storage: Storage;
let other: Storage | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'photon-run-page-cache-'));
  storage = openStorage(dir);
});
afterEach(() => {
  other?.close();
  other = undefined;
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeRun(through: Storage, id: string, createdAt: string) {
  through.runs.createRun({
    id,
    workflowId: null,
    workflowName: `flow ${id}`,
    definition: JSON.stringify({ name: `flow ${id}`, workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] }),
    status: 'running',
    concurrency: 1,
    baseDir: dir,
    owner: null,
    createdAt,
    startedAt: createdAt,
    steps: [1],
  });
}

/** Writes made in one turn of the event loop are committed at its end. */
const committed = () => new Promise((resolve) => setImmediate(resolve));

describe('the runs list between changes', () => {
  it('gives the same frozen page while nothing changed, and never one older than the database', async () => {
    makeRun(storage, 'run-1', '2026-03-01T00:00:01.000Z');
    await committed();
    const page = storage.runs.listRuns(10);
    expect(page.map((run) => [run.runId, run.status])).toEqual([['run-1', 'running']]);
    expect(storage.runs.listRuns(10)).toBe(page);
    expect(Object.isFrozen(page) && Object.isFrozen(page[0]) && Object.isFrozen(page[0]!.counts)).toBe(true);
    // Another query is another page.
    expect(storage.runs.listRuns(10, undefined, { status: ['succeeded'] })).toEqual([]);
    expect(storage.runs.listRuns(10)).toBe(page);

    // A change through this connection: a step's status, then the run's.
    storage.runs.updateStep('run-1', 1, { status: 'succeeded' });
    expect(storage.runs.listRuns(10)[0]!.counts.succeeded).toBe(1);
    storage.runs.updateRun('run-1', { status: 'succeeded' });
    expect(storage.runs.listRuns(10)[0]!.status).toBe('succeeded');
    await committed();

    // A run written by another connection to the same file, committed.
    const seen = storage.runs.listRuns(10);
    other = openStorage(dir);
    makeRun(other, 'run-2', '2026-03-01T00:00:02.000Z');
    await committed();
    expect(storage.runs.listRuns(10).map((run) => run.runId)).toEqual(['run-2', 'run-1']);
    other.runs.updateRun('run-2', { status: 'failed' });
    await committed();
    const latest = storage.runs.listRuns(10);
    expect(latest[0]!.status).toBe('failed');
    expect(latest).not.toBe(seen);
  });
});
