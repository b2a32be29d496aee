import { describe, expect, it } from 'vitest';
import { shellStep, statementsRun, useSandbox, workflowOf } from '../helpers.js';

/**
 * A run started while every slot is taken (a backlog posted through the REST API faster than runs
 * end) is written as queued in the one statement that makes it: not written running, read back and
 * changed. Counted, never timed.
 */
const sandbox = useSandbox('queued-start', { maxActiveRuns: 1 });

/** The UPDATE statements run against `runs` while `work` runs. */
const runUpdates = (work: () => Promise<unknown>): Promise<number> => statementsRun(/^\s*UPDATE\s+runs\b/i, work);

describe('a run started with every slot taken', () => {
  it('is made queued, never started, in one write, and runs once a slot frees', async () => {
    const { runId: blocker } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, 'sleep 300')]) });
    let waiting = '';
    const updates = await runUpdates(async () => {
      ({ runId: waiting } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, 'true')]) }));
    });
    expect(updates).toBe(0);
    expect(await sandbox.engine.call('runs.get', { runId: waiting })).toMatchObject({ status: 'queued', startedAt: null });

    await sandbox.engine.call('runs.cancel', { runId: blocker });
    expect(await sandbox.engine.waitForRun(waiting)).toBe('succeeded');
    const ran = await sandbox.engine.call('runs.get', { runId: waiting });
    expect(ran.startedAt).not.toBeNull();
  });
});
