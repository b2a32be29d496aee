import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StepState } from '../../../shared/runs.js';
import { longTimeout, maxTimerMs } from '../../../electron/engine/runs/long-timer.js';
import { runToEnd, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';

/**
 * Timeouts and retry intervals of 2^31 ms (24.8 days) and more: Node's own timers fire those after
 * 1 ms. They are accepted and honoured.
 */
const day = 24 * 60 * 60 * 1000;

describe('longTimeout', () => {
  afterEach(() => void vi.useRealTimers());

  it('fires a 30-day delay after 30 days, not before', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    longTimeout(fired, 30 * day);
    vi.advanceTimersByTime(1000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * day - 1001);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * day);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('is stopped by clearTimeout in any of its parts', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = longTimeout(fired, 3 * maxTimerMs);
    vi.advanceTimersByTime(maxTimerMs + 10);
    clearTimeout(timer);
    vi.advanceTimersByTime(10 * maxTimerMs);
    expect(fired).not.toHaveBeenCalled();
  });

  it('keeps short delays as they are', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    longTimeout(fired, 50);
    vi.advanceTimersByTime(49);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});

describe('a run with delays of 2^31 ms and more', () => {
  const sandbox = useSandbox('long-delays');

  it('does not time a step out at once when its timeout is 30 days', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'sleep 0.5; echo finished', { timeout: 30 * day })]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 1, output: 'finished' });
  });

  it('waits a 2^31 ms retry interval instead of retrying at once', async () => {
    const retrying: StepState[] = [];
    sandbox.engine.on('step.updated', ({ step }) => void (step.status === 'retrying' && retrying.push(step)));
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([shellStep(1, 'echo x >> tries; exit 1', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 2 ** 31, maxIntervalMs: 2 ** 31 } })]),
    });
    await waitUntil(() => retrying.length > 0, 'the step to wait for its retry');
    expect(Date.parse(retrying[0]!.nextAttemptAt!) - Date.now()).toBeGreaterThan(24 * day);
    // Long enough for a retry that fired at once to have started its attempt.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'retrying', attempts: 1 });
    await sandbox.engine.call('runs.cancel', { runId });
  });

  it('accepts a retry interval past the last date there is, and shows that date for the next attempt', async () => {
    const retrying: StepState[] = [];
    sandbox.engine.on('step.updated', ({ step }) => void (step.status === 'retrying' && retrying.push(step)));
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([shellStep(1, 'exit 1', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 9e15, maxIntervalMs: 9e15 } })]),
    });
    await waitUntil(() => retrying.length > 0, 'the step to wait for its retry');
    expect(retrying[0]!.nextAttemptAt).toBe('+275760-09-13T00:00:00.000Z');
    expect(await sandbox.engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
  });
});
