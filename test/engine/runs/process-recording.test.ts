import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      // The short steps ended before their time came: nothing was written for them.
      expect(Array.from({ length: 40 }, (_, i) => processOf(i + 2)).filter((process) => process !== null).length).toBeLessThan(5);
    } finally {
      db.close();
    }
  });

  describe('for each step of a big workflow', () => {
    withoutProcessRecording();

    it('arms no timer of its own', async () => {
      // A timer a step made 20 more; the one shared timer is armed again at most now and then.
      expect(await resourcesAddedBySteps(sandbox, 'Timeout')).toBeLessThanOrEqual(2);
    });
  });
});
