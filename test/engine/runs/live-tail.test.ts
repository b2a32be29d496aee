import { describe, expect, it } from 'vitest';
import { shellStep, useSandbox, waitUntil, workflowOf } from '../helpers.js';

/**
 * A step's output panel opened after the step printed reads what it printed from the engine: the
 * database holds an attempt's tail only once it ends, so a step that printed and now waits (a
 * server started, a prompt) showed "Waiting for output…" until it ended.
 */
const sandbox = useSandbox('live-tail');

describe('the step detail of a running step', () => {
  it('carries what its attempt printed so far, and the stored tail once it ends', async () => {
    let printed = false;
    sandbox.engine.on('step.output', ({ data }) => void (data.includes('listening on 8080') && (printed = true)));
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([shellStep(1, 'echo "listening on 8080"; sleep 30')]),
      baseDir: sandbox.work,
    });
    await waitUntil(() => printed, 'the step to print', 20_000);

    const running = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(running.status).toBe('running');
    expect(running.attemptHistory).toHaveLength(1);
    expect(running.attemptHistory[0]!.tail).toContain('listening on 8080');

    await sandbox.engine.call('runs.cancel', { runId });
    await sandbox.engine.waitForRun(runId);
    const ended = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(ended.attemptHistory[0]!.finishedAt).not.toBeNull();
    expect(ended.attemptHistory[0]!.tail).toContain('listening on 8080');
  });
});
