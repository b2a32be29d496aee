import { describe, expect, it } from 'vitest';
import type { RunStatus, RunSummary } from '../../shared/runs.js';
import { notificationFor, RunTracker, runRoute } from '../../electron/main/run-notifications.js';

function run(status: RunStatus, counts: Partial<RunSummary['counts']> = {}, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'run-1',
    workflowId: 'wf-1',
    workflowName: 'Release notes',
    status,
    concurrency: 4,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:01:12.400Z',
    counts: { total: 3, pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, ...counts },
    ...extra,
  };
}

describe('notificationFor', () => {
  it('a success names the workflow, the steps and the time', () => {
    expect(notificationFor(run('succeeded', { succeeded: 3 }))).toEqual({
      title: 'Release notes succeeded',
      body: 'All 3 steps succeeded in 1 min 12 s.',
      route: '#/runs/run-1',
    });
  });

  it('a failure says how many steps failed and were skipped', () => {
    expect(notificationFor(run('failed', { succeeded: 1, failed: 1, skipped: 1 }))).toMatchObject({
      title: 'Release notes failed',
      body: '1 of 3 steps failed, 1 skipped after 1 min 12 s.',
    });
  });

  it('a cancellation says how far it got', () => {
    expect(notificationFor(run('cancelled', { succeeded: 1, cancelled: 2 }))).toMatchObject({
      title: 'Release notes was cancelled',
      body: '1 of 3 steps succeeded, 2 cancelled.',
    });
  });

  it('nothing for a run still going or interrupted by a quit', () => {
    expect(notificationFor(run('running'))).toBeNull();
    expect(notificationFor(run('interrupted'))).toBeNull();
  });

  it('copes with a missing end time and a single step', () => {
    expect(notificationFor(run('succeeded', { total: 1, succeeded: 1 }, { finishedAt: null }))?.body).toBe('All 1 step succeeded.');
  });
});

describe('runRoute', () => {
  it('is the renderer hash route, with the id encoded', () => {
    expect(runRoute('abc')).toBe('#/runs/abc');
    expect(runRoute('a/b c')).toBe('#/runs/a%2Fb%20c');
  });
});

describe('RunTracker', () => {
  it('reports an end once per transition, however often it is announced', () => {
    const tracker = new RunTracker();
    expect(tracker.update({ runId: 'a', status: 'running' })).toEqual({ ended: false, changed: true });
    expect(tracker.update({ runId: 'a', status: 'running' })).toEqual({ ended: false, changed: false });
    expect(tracker.runningCount).toBe(1);
    expect(tracker.update({ runId: 'a', status: 'failed' })).toEqual({ ended: true, changed: true });
    expect(tracker.update({ runId: 'a', status: 'failed' })).toEqual({ ended: false, changed: false });
    expect(tracker.runningCount).toBe(0);
  });

  it('a resumed run ends again', () => {
    const tracker = new RunTracker();
    tracker.seed([{ runId: 'a', status: 'failed' }]);
    tracker.update({ runId: 'a', status: 'running' });
    expect(tracker.update({ runId: 'a', status: 'succeeded' }).ended).toBe(true);
  });

  it('an interruption (the app quitting) is not an end to announce', () => {
    const tracker = new RunTracker();
    tracker.update({ runId: 'a', status: 'running' });
    expect(tracker.update({ runId: 'a', status: 'interrupted' })).toEqual({ ended: false, changed: true });
  });

  it('counts running runs from the seed and the updates', () => {
    const tracker = new RunTracker();
    tracker.seed([
      { runId: 'a', status: 'running' },
      { runId: 'b', status: 'succeeded' },
    ]);
    tracker.update({ runId: 'c', status: 'running' });
    expect(tracker.runningCount).toBe(2);
  });
});
