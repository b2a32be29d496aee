import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary, StepCounts } from '../../../shared/runs.js';
import { runToEnd, shellStep, useSandbox, withoutProcessRecording } from '../helpers.js';

const sandbox = useSandbox('announcements');

describe("a run's summary announcements", () => {
  it('come once per burst of step transitions, each as stored, and the last one is the run as it ended', async () => {
    const summaries: RunSummary[] = [];
    let stepAnnouncements = 0;
    sandbox.engine.on('step.updated', () => void stepAnnouncements++);
    sandbox.engine.on('run.updated', (run) => void summaries.push(run));
    // Every step's end and the next step's start come together: two step announcements, one summary.
    const steps = Array.from({ length: 30 }, (_, i) => shellStep(i + 1, 'true'));
    const { runId, status, detail } = await runToEnd(sandbox, steps, 2);
    expect(status).toBe('succeeded');

    expect(stepAnnouncements).toBeGreaterThanOrEqual(60);
    expect(summaries.length).toBeLessThanOrEqual(stepAnnouncements * 0.6);
    const last = summaries.at(-1)!;
    expect(last).toMatchObject({ runId, status: 'succeeded', counts: { total: 30, succeeded: 30, running: 0, pending: 0 } });
    expect(last.finishedAt).toBe(detail.finishedAt);
    // Nothing is announced after the end.
    await new Promise((resolve) => setImmediate(resolve));
    expect(summaries.at(-1)).toBe(last);
  });

  it("count the steps as the file holds them at the moment each goes out, through retries, failures, skips and a resume", async () => {
    // Another connection to the engine's file: what any view would count, read as each summary arrives.
    const db = new Database(join(sandbox.dataDir, 'photon.db'), { readonly: true });
    const countsInFile = (runId: string): StepCounts => {
      const rows = db.prepare('SELECT status, COUNT(*) AS n FROM steps WHERE run_id = ? GROUP BY status').all(runId) as { status: string; n: number }[];
      const n = (...statuses: string[]) => rows.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row.n, 0);
      return { total: n('pending', 'running', 'retrying', 'succeeded', 'failed', 'timed_out', 'skipped', 'cancelled'), pending: n('pending'), running: n('running', 'retrying'), succeeded: n('succeeded'), failed: n('failed', 'timed_out'), skipped: n('skipped'), cancelled: n('cancelled') };
    };
    const seen: { announced: StepCounts; inFile: StepCounts }[] = [];
    sandbox.engine.on('run.updated', (run) => void seen.push({ announced: run.counts, inFile: countsInFile(run.runId) }));
    try {
      const steps = [
        shellStep(1, 'true'),
        shellStep(2, 'test -f second-try || { touch second-try; exit 3; }', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 20 } }),
        shellStep(3, 'test -f resumed', { dependencies: [1] }),
        shellStep(4, 'true', { dependencies: [3] }),
        shellStep(5, 'exit 1', { continueOnFailure: true }),
        shellStep(6, 'true', { dependencies: [5] }),
        shellStep(7, 'true', { dependencies: [2, 6] }),
      ];
      const first = await runToEnd(sandbox, steps, 2);
      expect(first.status).toBe('failed');
      expect(seen.at(-1)!.announced).toMatchObject({ succeeded: 4, failed: 2, skipped: 1 });
      // Resumed: its steps start from what the file holds (step 3 failed, step 4 skipped), and run again.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(sandbox.work, 'resumed'), '');
      await sandbox.engine.call('runs.resume', { runId: first.runId });
      expect(await sandbox.engine.waitForRun(first.runId)).toBe('failed');
      expect(seen.at(-1)!.announced).toMatchObject({ succeeded: 6, failed: 1, skipped: 0 });
      expect(seen.length).toBeGreaterThan(8);
      for (const { announced, inFile } of seen) expect(announced).toEqual(inFile);
    } finally {
      db.close();
    }
  });

  describe('while a run runs', () => {
    withoutProcessRecording();

    it("neither counts its steps' rows nor reads its definition for a summary", async () => {
      sandbox.engine.on('run.updated', () => {});
      const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as { get: (...args: unknown[]) => unknown; all: (...args: unknown[]) => unknown };
      const { get, all } = statement;
      const reads = { counts: 0, definitions: 0 };
      const count = (source: string) => {
        if (/COUNT\(\*\)[^]*FROM steps WHERE run_id = \? GROUP BY status/.test(source)) reads.counts++;
        if (/\bdefinition\b[^]*FROM runs WHERE id = \?/.test(source)) reads.definitions++;
      };
      const counted = async (n: number) => {
        statement.get = function (this: { source: string }, ...args: unknown[]) {
          count(this.source);
          return get.apply(this, args);
        };
        statement.all = function (this: { source: string }, ...args: unknown[]) {
          count(this.source);
          return all.apply(this, args);
        };
        reads.counts = reads.definitions = 0;
        try {
          await runToEnd(sandbox, Array.from({ length: n }, (_, i) => shellStep(i + 1, 'true', { dependencies: i === 0 ? [] : [i] })));
        } finally {
          Object.assign(statement, { get, all });
        }
        return { ...reads };
      };
      await counted(2);
      const one = await counted(1);
      const many = await counted(21);
      // Each step's end and the next one's start is a summary: counting the rows for each read the
      // whole run (20 more counts for 20 more steps), and the run's row came with its whole workflow.
      expect(many.counts - one.counts).toBe(0);
      expect(many.definitions - one.definitions).toBe(0);
    });
  });
});
