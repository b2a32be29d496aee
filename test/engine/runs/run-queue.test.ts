/**
 * Runs beyond maxActiveRuns wait `queued` in the engine: closing the engine leaves them
 * interrupted (resumable, never started), resuming one runs it, and cancelAll ends them too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, startEngine, useSandbox, workflowOf } from '../helpers.js';

const sandbox = useSandbox('queue', { maxActiveRuns: 1 });

/** A run that holds the one slot until it is stopped. */
async function startBlocker(): Promise<string> {
  const { runId } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, 'sleep 300')]) });
  return runId;
}

describe('queued runs', () => {
  it('are left interrupted when the engine closes, never started, and run when resumed', async () => {
    const blocker = await startBlocker();
    const { runId: waiting } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, 'touch ran')]) });
    expect((await sandbox.engine.call('runs.get', { runId: waiting })).status).toBe('queued');

    await sandbox.engine.close();
    const reopened = await startEngine(sandbox.dataDir);
    try {
      const left = await reopened.call('runs.get', { runId: waiting });
      expect(left).toMatchObject({ status: 'interrupted', startedAt: null });
      expect(left.steps.map((step) => step.status)).toEqual(['pending']);
      expect((await reopened.call('runs.get', { runId: blocker })).status).toBe('interrupted');
      expect(existsSync(join(sandbox.work, 'ran'))).toBe(false);

      await reopened.call('runs.resume', { runId: waiting });
      expect(await reopened.waitForRun(waiting)).toBe('succeeded');
      expect(existsSync(join(sandbox.work, 'ran'))).toBe(true);
    } finally {
      await reopened.close();
      sandbox.engine = await startEngine(sandbox.dataDir);
    }
  });

  it('are ended by cancelAll with the running ones, and waitForRun answers for them', async () => {
    const blocker = await startBlocker();
    const { runId: waiting } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, 'touch ran')]) });
    const ended = sandbox.engine.waitForRun(waiting);
    expect(await sandbox.engine.call('runs.cancelAll', undefined)).toEqual({ cancelled: 2 });
    expect(await ended).toBe('cancelled');
    const detail = await sandbox.engine.call('runs.get', { runId: waiting });
    expect(detail).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(detail.steps[0]).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    // The blocker's end frees the slot: a run still waiting would start now.
    expect(await sandbox.engine.waitForRun(blocker)).toBe('cancelled');
    expect((await sandbox.engine.call('runs.get', { runId: waiting })).status).toBe('cancelled');
  });
});
