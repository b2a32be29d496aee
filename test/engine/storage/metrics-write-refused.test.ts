// The metrics sampler while SQLite refuses its writes (another program holds the database's write
// lock past the busy timeout, on the real file): the live view goes on, the samples are not kept,
// and it is said once, not every tick with a stack trace. Once the lock is gone, samples are kept again.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type MetricsHarness } from '../metrics/metrics-harness.js';
import { connectionOf } from '../sqlite-connection.js';

describe('metrics while the history cannot be written', () => {
  let harness: MetricsHarness | undefined;
  let other: Database.Database | undefined;
  afterEach(async () => {
    other?.close();
    await harness?.close();
    vi.restoreAllMocks();
  });

  it('keep coming, say once that they are not kept, and are kept again once it can be written', async () => {
    harness = startHarness();
    const file = join(harness.dir, 'data', 'photon.db');
    await harness.spawn('exec sleep 60');
    await harness.moreTicks(2);
    const db = await connectionOf(file, () => harness!.storage.runs.listRuns(1));
    // Held off a little, not the engine's 5 s: the lock below is not let go in time.
    db.pragma('busy_timeout = 50');
    const samples = () => db.prepare('SELECT COUNT(*) FROM metric_samples').pluck().get() as number;
    const logged = vi.spyOn(console, 'error');
    other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    const before = samples();

    await harness.moreTicks(4);
    // Its pruning (each minute) is refused too, and says nothing more: the next pass does it.
    await harness.metrics.maintain();
    expect(samples()).toBe(before);
    const said = logged.mock.calls.map((call) => call.map(String).join(' '));
    expect(said).toEqual(['photon: metrics are shown but not kept in the history until it can be written: database is locked']);

    other.prepare('ROLLBACK').run();
    await harness.moreTicks(2);
    expect(samples()).toBeGreaterThan(before);
  }, 60_000);
});
