import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRecording } from '../../../electron/engine/runs/deferred-recording.js';
import { resourcesAddedBySteps, shellStep, useSandbox, waitUntil, withoutProcessRecording, workflowOf, type StepSpec } from '../helpers.js';

/**
 * A step's process identity (for recovery after a crash) is written once it has run a while
 * (deferred-recording.ts): one timer for every attempt waiting, not one each.
 */
const sandbox = useSandbox('process-recording');

const chain = (n: number, from = 1): StepSpec[] => Array.from({ length: n }, (_, i) => shellStep(from + i, 'true', { dependencies: i === 0 ? [] : [from + i - 1] }));

describe("recording a step's process", () => {
  it('records a step that runs long while short steps beside it start and end', async () => {
    // Step 1 runs until the test has seen its process recorded; 40 short steps come and go beside it.
    const steps = [shellStep(1, 'while [ ! -f go ]; do sleep 0.05; done'), ...chain(40, 2)];
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf(steps), baseDir: sandbox.work, concurrency: 2 });
    const db = new Database(join(sandbox.dataDir, 'photon.db'), { readonly: true });
    const processOf = (step: number) => (db.prepare('SELECT process FROM attempts WHERE run_id = ? AND step = ?').get(runId, step) as { process: string | null } | undefined)?.process ?? null;
    try {
      await waitUntil(() => processOf(1) !== null, "step 1's process to be recorded", 20_000);
      writeFileSync(join(sandbox.work, 'go'), '');
      expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
      // A short step that ended before its time came has nothing written. How many of them ran
      // that long is the machine's doing (under load even `true` can), so no count is asserted:
      // each one written must have run its time.
      const attempts = db.prepare('SELECT step, process, started_at AS startedAt, finished_at AS finishedAt FROM attempts WHERE run_id = ? AND step > 1').all(runId) as { step: number; process: string | null; startedAt: string; finishedAt: string }[];
      expect(attempts).toHaveLength(40);
      const ranMs = (attempt: (typeof attempts)[number]) => Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt);
      const writtenEarly = attempts.filter((attempt) => attempt.process !== null && ranMs(attempt) < processRecording.afterMs);
      expect(writtenEarly.map((attempt) => ({ step: attempt.step, ranMs: ranMs(attempt) }))).toEqual([]);
    } finally {
      db.close();
    }
  });

  describe('for each step of a big workflow', () => {
    withoutProcessRecording();

    it('arms no timer of its own', async () => {
      // A timer a step made 20 more; the one shared timer is armed again at most now and then.
      // Not counted: the pauses of the search for a step's marked processes when another process
      // of the machine, born in the step's pid window, is caught mid-exec (marked-processes.ts):
      // how many there are is the machine's doing (up to 3 here under load, failing 1 run in 5).
      expect(await resourcesAddedBySteps(sandbox, 'Timeout', /carriersOnceExeced/)).toBeLessThanOrEqual(2);
    });
  });
});
