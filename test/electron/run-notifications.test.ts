// What both hosts say in a notification and when (shared/notifications.ts): the desktop app shows
// these through Electron, the browser host through the Web Notifications API.
import { describe, expect, it } from 'vitest';
import { createNotificationFeed, NotificationTriggers, runEndedNotification, runRoute, stepWaitingNotification, type PhotonNotification } from '../../shared/notifications.js';
import type { RunDetail, RunStatus, RunSummary, StepState } from '../../shared/runs.js';

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

function step(n: number, title: string, status: StepState['status'], exitCode: number | null = null): StepState {
  return { step: n, title, platform: 'shell', dependencies: [], status, attempts: 1, exitCode, startedAt: null, finishedAt: null, output: null, error: null, nextAttemptAt: null, agentId: null, agentNote: null, sessionId: null, costUsd: null, tokens: null };
}

describe('runEndedNotification', () => {
  it('a success names the workflow, the steps and the time, and opens the run', () => {
    expect(runEndedNotification(run('succeeded', { succeeded: 3 }))).toEqual({
      title: 'Release notes succeeded',
      body: 'All 3 steps succeeded in 1 min 12 s.',
      route: '#/runs/run-1',
      tag: 'photon-run-run-1',
    });
  });

  it('a failure names the step that failed, with its exit code, and what was skipped', () => {
    const steps = [step(1, 'Fetch', 'succeeded', 0), step(2, 'Compile', 'failed', 2), step(3, 'Publish', 'skipped')];
    expect(runEndedNotification(run('failed', { succeeded: 1, failed: 1, skipped: 1 }), steps)).toMatchObject({
      title: 'Release notes failed',
      body: 'Step 2 “Compile” failed (exit code 2) after 1 min 12 s. 1 step skipped.',
    });
  });

  it('a step that ran out of time is said to have timed out', () => {
    expect(runEndedNotification(run('failed', { failed: 1 }, { finishedAt: null }), [step(1, 'Long test', 'timed_out')])?.body).toBe('Step 1 “Long test” timed out.');
  });

  it('several failed steps: two by name, more as a count', () => {
    const two = [step(1, 'Lint', 'failed', 1), step(2, 'Test', 'timed_out')];
    expect(runEndedNotification(run('failed', { failed: 2 }), two)?.body).toBe('Steps 1 “Lint” and 2 “Test” failed after 1 min 12 s.');
    const three = [...two, step(3, 'Docs', 'failed', 1)];
    expect(runEndedNotification(run('failed', { failed: 3 }), three)?.body).toBe('Step 1 “Lint” and 2 more steps failed after 1 min 12 s.');
  });

  it('without the steps (they could not be read), a failure gives counts', () => {
    expect(runEndedNotification(run('failed', { succeeded: 1, failed: 1, skipped: 1 }))?.body).toBe('1 of 3 steps failed after 1 min 12 s. 1 step skipped.');
  });

  it('a cancellation says how far it got', () => {
    expect(runEndedNotification(run('cancelled', { succeeded: 1, cancelled: 2 }))).toMatchObject({
      title: 'Release notes was cancelled',
      body: '1 of 3 steps succeeded, 2 cancelled.',
    });
  });

  it('nothing for a run still going or interrupted by a quit', () => {
    expect(runEndedNotification(run('running'))).toBeNull();
    expect(runEndedNotification(run('interrupted'))).toBeNull();
  });

  it('copes with a missing end time, a single step, and a long or empty name', () => {
    expect(runEndedNotification(run('succeeded', { total: 1, succeeded: 1 }, { finishedAt: null }))?.body).toBe('All 1 step succeeded.');
    expect(runEndedNotification(run('succeeded', {}, { workflowName: '  ' }))?.title).toBe('Workflow succeeded');
    expect(runEndedNotification(run('succeeded', {}, { workflowName: `Nightly\n${'x'.repeat(200)}` }))?.title).toMatch(/^Nightly x+… succeeded$/);
  });
});

describe('stepWaitingNotification', () => {
  it('names the workflow and the step, and opens the run', () => {
    expect(stepWaitingNotification({ runId: 'r 1', workflowName: 'Onboarding', step: 2, title: 'Ask for a name' })).toEqual({
      title: 'Onboarding is waiting for input',
      body: 'Step 2 “Ask for a name” is waiting for your answer in its terminal.',
      route: '#/runs/r%201',
      tag: 'photon-waiting-r 1-2',
    });
  });
});

describe('runRoute', () => {
  it('is the renderer hash route, with the id encoded', () => {
    expect(runRoute('abc')).toBe('#/runs/abc');
    expect(runRoute('a/b c')).toBe('#/runs/a%2Fb%20c');
  });
});

describe('NotificationTriggers', () => {
  const update = (runId: string, status: RunStatus, finishedAt: string | null = null) => ({ runId, status, finishedAt });

  it('reports an end once per transition, however often it is announced', () => {
    const triggers = new NotificationTriggers();
    expect(triggers.runUpdated(update('a', 'running'))).toEqual({ ended: false, changed: true });
    expect(triggers.runUpdated(update('a', 'running'))).toEqual({ ended: false, changed: false });
    expect(triggers.runningCount).toBe(1);
    expect(triggers.runUpdated(update('a', 'failed'))).toEqual({ ended: true, changed: true });
    expect(triggers.runUpdated(update('a', 'failed'))).toEqual({ ended: false, changed: false });
    expect(triggers.runningCount).toBe(0);
  });

  it('a resumed run ends again', () => {
    const triggers = new NotificationTriggers();
    triggers.seed([{ runId: 'a', status: 'failed' }]);
    triggers.runUpdated(update('a', 'running'));
    expect(triggers.runUpdated(update('a', 'succeeded')).ended).toBe(true);
  });

  it('an interruption (the app quitting) is not an end to announce', () => {
    const triggers = new NotificationTriggers();
    triggers.runUpdated(update('a', 'running'));
    expect(triggers.runUpdated(update('a', 'interrupted'))).toEqual({ ended: false, changed: true });
  });

  it('a run first heard of as ended before the listener started is old news; one that ended since is not', () => {
    const triggers = new NotificationTriggers(Date.parse('2026-01-01T12:00:00.000Z'));
    expect(triggers.runUpdated(update('old', 'succeeded', '2026-01-01T11:59:59.000Z')).ended).toBe(false);
    expect(triggers.runUpdated(update('new', 'succeeded', '2026-01-01T12:00:01.000Z')).ended).toBe(true);
  });

  it('counts running runs from the seed and the updates', () => {
    const triggers = new NotificationTriggers();
    triggers.seed([
      { runId: 'a', status: 'running' },
      { runId: 'b', status: 'succeeded' },
    ]);
    triggers.runUpdated(update('c', 'running'));
    expect(triggers.runningCount).toBe(2);
  });

  it('a wait starts once per attempt, ends when answered, and a stale end of an older attempt is ignored', () => {
    const triggers = new NotificationTriggers();
    expect(triggers.stepWaiting({ runId: 'a', step: 2, attempt: 1, waiting: true })).toEqual({ started: true, changed: true });
    expect(triggers.stepWaiting({ runId: 'a', step: 2, attempt: 1, waiting: true })).toEqual({ started: false, changed: false });
    expect(triggers.waitingCount).toBe(1);
    expect(triggers.stepWaiting({ runId: 'a', step: 2, attempt: 1, waiting: false })).toEqual({ started: false, changed: true });
    expect(triggers.waitingCount).toBe(0);

    expect(triggers.stepWaiting({ runId: 'a', step: 2, attempt: 2, waiting: true }).started).toBe(true);
    expect(triggers.stepWaiting({ runId: 'a', step: 2, attempt: 1, waiting: false })).toEqual({ started: false, changed: false });
    expect(triggers.isWaiting({ runId: 'a', step: 2, attempt: 2 })).toBe(true);
  });

  it('a step that stops running, or a run that ends, waits for nothing any more', () => {
    const triggers = new NotificationTriggers();
    triggers.runUpdated(update('a', 'running'));
    triggers.stepWaiting({ runId: 'a', step: 1, attempt: 1, waiting: true });
    triggers.stepWaiting({ runId: 'a', step: 2, attempt: 1, waiting: true });
    triggers.stepWaiting({ runId: 'b', step: 1, attempt: 1, waiting: true });
    expect(triggers.stepUpdated('a', { step: 1, status: 'running' })).toEqual({ changed: false });
    expect(triggers.stepUpdated('a', { step: 1, status: 'failed' })).toEqual({ changed: true });
    expect(triggers.waitingCount).toBe(2);
    triggers.runUpdated(update('a', 'cancelled'));
    expect(triggers.waitingCount).toBe(1);
  });
});

describe('createNotificationFeed', () => {
  function feedWith(detail: (runId: string) => Promise<RunDetail>) {
    const shown: PhotonNotification[] = [];
    let countChanges = 0;
    const feed = createNotificationFeed({ since: 0, getRun: detail, show: (n) => shown.push(n), onCountsChanged: () => countChanges++ });
    return { feed, shown, countChanges: () => countChanges };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const detailOf = (summary: RunSummary, steps: StepState[]): RunDetail => ({ ...summary, workflow: { name: summary.workflowName, workflow: [] } as unknown as RunDetail['workflow'], steps });

  it('a failed run is announced naming its failed step, read from the run', async () => {
    const failed = run('failed', { succeeded: 1, failed: 1 });
    const asked: string[] = [];
    const { feed, shown } = feedWith(async (runId) => {
      asked.push(runId);
      return detailOf(failed, [step(1, 'Fetch', 'succeeded', 0), step(2, 'Compile', 'failed', 1)]);
    });
    feed.runUpdated(run('running'));
    feed.runUpdated(failed);
    feed.runUpdated(failed);
    await settle();
    expect(asked).toEqual(['run-1']);
    expect(shown).toEqual([{ title: 'Release notes failed', body: 'Step 2 “Compile” failed (exit code 1) after 1 min 12 s.', route: '#/runs/run-1', tag: 'photon-run-run-1' }]);
  });

  it('a failed run whose details cannot be read is still announced, with counts', async () => {
    const { feed, shown } = feedWith(() => Promise.reject(new Error('engine closing')));
    feed.runUpdated(run('failed', { failed: 1 }));
    await settle();
    expect(shown.map((n) => n.body)).toEqual(['1 of 3 steps failed after 1 min 12 s.']);
  });

  it('a waiting step is announced with its title; one answered before its run was read is not', async () => {
    const running = run('running', { running: 1 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { feed, shown, countChanges } = feedWith(async () => {
      await gate;
      return detailOf(running, [step(1, 'Ask name', 'running'), step(2, 'Ask colour', 'running')]);
    });
    feed.runUpdated(running);
    feed.stepWaiting({ runId: 'run-1', step: 1, attempt: 1, waiting: true });
    feed.stepWaiting({ runId: 'run-1', step: 2, attempt: 1, waiting: true });
    expect(feed.waitingCount).toBe(2);
    feed.stepWaiting({ runId: 'run-1', step: 2, attempt: 1, waiting: false });
    release();
    await settle();
    expect(shown.map((n) => n.body)).toEqual(['Step 1 “Ask name” is waiting for your answer in its terminal.']);
    expect(feed.waitingCount).toBe(1);
    expect(feed.runningCount).toBe(1);
    // run, wait 1, wait 2, answer 2: each changed a count the tray shows.
    expect(countChanges()).toBe(4);
  });
});
