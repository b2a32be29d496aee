import { describe, expect, it } from 'vitest';
import { createPhotonStore } from '../../renderer/store/store.js';
import { clipStep, recentRunsLimit, storedOutputChars, upsertSummary } from '../../renderer/store/runs-slice.js';
import { maxNotices, routeKey } from '../../renderer/store/ui-slice.js';
import { selectRunningCount, selectRunsOfWorkflow } from '../../renderer/store/selectors.js';
import { runDetail, runSummary, savedWorkflow, stepState, workflowSummary } from './fixtures.js';

const t = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('runs slice', () => {
  it('keeps recent runs newest first, bounded, and replaces a run in place', () => {
    let list = upsertSummary([], runSummary('a', t(1)));
    list = upsertSummary(list, runSummary('c', t(3)));
    list = upsertSummary(list, runSummary('b', t(2)));
    expect(list.map((r) => r.runId)).toEqual(['c', 'b', 'a']);

    list = upsertSummary(list, runSummary('a', t(1), { status: 'succeeded' }));
    expect(list.map((r) => [r.runId, r.status])).toEqual([
      ['c', 'running'],
      ['b', 'running'],
      ['a', 'succeeded'],
    ]);

    for (let i = 10; i < 10 + recentRunsLimit; i++) list = upsertSummary(list, runSummary(`r${i}`, t(i)));
    expect(list).toHaveLength(recentRunsLimit);
    expect(list.some((r) => r.runId === 'a')).toBe(false);
  });

  it('applies run.updated to the list and to an open run, keeping its steps', () => {
    const store = createPhotonStore();
    store.getState().runsLoaded([runSummary('r1', t(1))]);
    store.getState().runLoaded(runDetail('r1', t(1), [stepState(1, { status: 'running' }), stepState(2)]));

    store.getState().runUpdated(runSummary('r1', t(1), { status: 'succeeded', finishedAt: t(5) }));
    const state = store.getState();
    expect(state.runs.list[0]!.status).toBe('succeeded');
    expect(state.runs.byId.r1!.status).toBe('succeeded');
    expect(state.runs.byId.r1!.finishedAt).toBe(t(5));
    expect(state.runs.byId.r1!.steps).toHaveLength(2);
  });

  it('adds a run it has not seen (started elsewhere) to the list', () => {
    const store = createPhotonStore();
    store.getState().runsLoaded([runSummary('old', t(1), { status: 'succeeded' })]);
    store.getState().runUpdated(runSummary('new', t(2)));
    expect(store.getState().runs.list.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(store.getState().runs.byId.new).toBeUndefined();
  });

  it('applies step.updated to an open run and ignores runs no view holds', () => {
    const store = createPhotonStore();
    store.getState().runLoaded(runDetail('r1', t(1)));
    const before = store.getState().runs;

    store.getState().stepUpdated('other', stepState(1, { status: 'running' }));
    expect(store.getState().runs).toBe(before);

    store.getState().stepUpdated('r1', stepState(2, { status: 'running', attempts: 1, startedAt: t(2) }));
    const steps = store.getState().runs.byId.r1!.steps;
    expect(steps.map((s) => s.status)).toEqual(['pending', 'running']);
    expect(steps[0]).toBe(before.byId.r1!.steps[0]);
  });

  it('keeps only the end of a large stored output', () => {
    const big = 'x'.repeat(storedOutputChars * 3) + 'END';
    const clipped = clipStep(stepState(1, { output: big }));
    expect(clipped.output!.length).toBeLessThanOrEqual(storedOutputChars + 1);
    expect(clipped.output!.endsWith('END')).toBe(true);

    const store = createPhotonStore();
    store.getState().runLoaded(runDetail('r1', t(1), [stepState(1, { output: big })]));
    expect(store.getState().runs.byId.r1!.steps[0]!.output!.length).toBeLessThanOrEqual(storedOutputChars + 1);
    const small = stepState(1, { output: 'ok' });
    expect(clipStep(small)).toBe(small);
  });

  it('counts running runs and selects runs of one workflow', () => {
    const store = createPhotonStore();
    store.getState().runsLoaded([
      runSummary('a', t(1)),
      runSummary('b', t(2), { status: 'failed', workflowId: 'w2' }),
      runSummary('c', t(3), { workflowId: 'w2' }),
    ]);
    expect(selectRunningCount(store.getState())).toBe(2);
    expect(selectRunsOfWorkflow('w2')(store.getState()).map((r) => r.runId)).toEqual(['c', 'b']);
  });
});

describe('workflows slice', () => {
  it('loads the list, keeps opened definitions and forgets deleted workflows', () => {
    const store = createPhotonStore();
    expect(store.getState().workflows.loaded).toBe(false);
    store.getState().workflowsLoaded([workflowSummary('w1'), workflowSummary('w2')]);
    store.getState().workflowLoaded(savedWorkflow('w1', 'Renamed'));
    let state = store.getState().workflows;
    expect(state.loaded).toBe(true);
    expect(state.byId.w1!.name).toBe('Renamed');
    expect(state.list[0]!.name).toBe('Renamed');
    expect('workflow' in state.list[0]!).toBe(false);

    store.getState().workflowRemoved('w1');
    state = store.getState().workflows;
    expect(state.list.map((w) => w.id)).toEqual(['w2']);
    expect(state.byId.w1).toBeUndefined();
  });
});

describe('ui slice', () => {
  it('keeps the newest notices, bounded, and dismisses by id', () => {
    const store = createPhotonStore();
    for (let i = 0; i < maxNotices + 3; i++) store.getState().pushNotice({ title: `n${i}`, code: 'internal', message: 'boom' });
    const notices = store.getState().notices;
    expect(notices).toHaveLength(maxNotices);
    expect(notices.at(-1)!.title).toBe(`n${maxNotices + 2}`);
    store.getState().dismissNotice(notices[0]!.id);
    expect(store.getState().notices.map((n) => n.title)).not.toContain(notices[0]!.title);
  });

  it('sets and clears view errors and busy marks', () => {
    const store = createPhotonStore();
    const key = routeKey({ view: 'run', id: 'r1' });
    expect(key).toBe('run:r1');
    store.getState().setViewError(key, { code: 'not_found', message: 'no run' });
    expect(store.getState().viewErrors[key]).toEqual({ code: 'not_found', message: 'no run' });
    store.getState().setViewError(key, null);
    expect(store.getState().viewErrors).toEqual({});

    store.getState().setBusy(key, true);
    expect(store.getState().busy[key]).toBe(true);
    store.getState().setBusy(key, false);
    expect(store.getState().busy).toEqual({});
  });
});
