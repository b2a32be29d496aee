import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsRepository, openDatabase, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

/** Today's counters, read by the metrics sampler at every tick while anything runs. */
let root = '';
let db: SqliteDatabase;

beforeEach(() => {
  root = makeTempDir('metrics-today');
  db = openDatabase(join(root, 'photon.db'));
});

afterEach(() => {
  db.close();
  removeDir(root);
});

const since = '2026-03-02T00:00:00.000Z';

/** Yesterday's run and today's two: retries, a timeout, costs and tokens, an attempt still running. */
function fill(): void {
  const run = db.prepare(`INSERT INTO runs (id, workflow_name, definition, status, concurrency, base_dir, created_at, started_at, finished_at) VALUES (?, 'w', '{}', ?, 2, '/tmp', ?, ?, ?)`);
  run.run('old', 'succeeded', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:09.000Z');
  run.run('a', 'failed', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:09.000Z');
  run.run('b', 'running', '2026-03-02T11:00:00.000Z', '2026-03-02T11:00:00.000Z', null);
  const step = db.prepare(`INSERT INTO steps (run_id, step, status) VALUES (?, ?, 'succeeded')`);
  for (const [id, n] of [['old', 1], ['a', 1], ['a', 2], ['b', 1]] as const) step.run(id, n);
  const attempt = db.prepare(
    `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, output_path, cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
     VALUES (?, ?, ?, ?, ?, ?, '/x.log', ?, ?, ?, ?, ?)`,
  );
  attempt.run('old', 1, 1, 'timed_out', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:05.000Z', 9, 900, 90, 9, 9);
  attempt.run('a', 1, 1, 'timed_out', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:01.000Z', 0.5, 100, 10, 1, 2);
  attempt.run('a', 1, 2, 'failed', '2026-03-02T10:00:02.000Z', '2026-03-02T10:00:03.000Z', 0.25, 50, 5, null, null);
  attempt.run('a', 2, 1, 'timed_out', '2026-03-02T10:00:04.000Z', '2026-03-02T10:00:09.000Z', null, null, null, null, null);
  attempt.run('b', 1, 1, 'running', '2026-03-02T11:00:00.000Z', null, 1, 1, 1, 1, 1);
}

describe("today's counters", () => {
  it("count today's runs, retries and timeouts and add up today's ended attempts, nothing from before", () => {
    fill();
    expect(new MetricsRepository(db).today(since)).toEqual({
      runsStarted: 2,
      runsSucceeded: 0,
      runsFailed: 1,
      retries: 1,
      timeouts: 2,
      costUsd: 0.75,
      inputTokens: 150,
      outputTokens: 15,
      cacheReadTokens: 1,
      cacheWriteTokens: 2,
    });
    // A day with nothing ended reads zeros, not nulls.
    expect(new MetricsRepository(db).today('2026-03-03T00:00:00.000Z')).toMatchObject({ timeouts: 0, costUsd: 0, inputTokens: 0, cacheWriteTokens: 0 });
  });

  it("walk today's ended attempts once a tick, not once for each figure", () => {
    const statements: string[] = [];
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
      statements.push(String(args[0]));
      return prepare.apply(this, args);
    } as typeof prepare;
    try {
      new MetricsRepository(db).today(since);
    } finally {
      Database.prototype.prepare = prepare;
    }
    const [sql] = statements.filter((text) => text.includes('runsStarted'));
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ since }) as { detail: string }[]).map((row) => row.detail);
    // The retries through their own index, and today's ended attempts once (six scans before).
    const scans = plan.filter((detail) => /\battempts\b/.test(detail));
    expect(scans).toHaveLength(2);
    expect(scans.filter((detail) => detail.includes('attempts_retried_by_started'))).toHaveLength(1);
    expect(scans.filter((detail) => detail.includes('attempts_by_finished'))).toHaveLength(1);
  });
});
