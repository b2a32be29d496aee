// The browser host's notifications and pins, against the renderer's real client and store over an
// in-memory transport (the browser end to end is in test/e2e/notifications.test.ts).
import { describe, expect, it } from 'vitest';
import { PhotonError } from '../../shared/errors.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { syncBrowserNotifications, type NotificationScope, type WebNotificationApi } from '../../renderer/notifications/browser-notifications.js';
import { NotificationPreference } from '../../renderer/notifications/notification-preference.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { pinnedFirst } from '../../renderer/store/workflows-slice.js';
import { pinWorkflow } from '../../renderer/sync/pin-workflow.js';
import { FakeTransport, settle } from './fake-transport.js';
import { runDetail, runSummary, savedWorkflow, stepState, workflowSummary } from './fixtures.js';

const loadedAt = Date.parse('2026-01-01T10:00:00.000Z');
const before = '2026-01-01T09:00:00.000Z';
const after = '2026-01-01T10:05:00.000Z';

class MemoryStorage {
  readonly values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
}

/** A page with a Web Notifications API that records what is shown. */
function page(permission: NotificationPermission = 'granted') {
  const shown: { title: string; options?: NotificationOptions; onclick: ((this: Notification, ev: Event) => unknown) | null; closed: boolean }[] = [];
  const Api = function (this: unknown, title: string, options?: NotificationOptions) {
    const record = { title, options, onclick: null, closed: false, close: () => (record.closed = true) };
    shown.push(record);
    return record;
  } as unknown as WebNotificationApi;
  Object.assign(Api, { permission, requestPermission: async () => permission });
  const scope: NotificationScope & { focused: number } = {
    Notification: Api,
    location: { hash: '#/' },
    focused: 0,
    focus: () => {
      scope.focused++;
    },
  };
  return { scope, shown };
}

function setup(options: { permission?: NotificationPermission; wanted?: boolean; kind?: 'websocket' | 'bridge' } = {}) {
  const transport = new FakeTransport();
  if (options.kind === 'bridge') Object.defineProperty(transport, 'kind', { value: 'bridge' });
  const client = createClient(transport);
  const preference = new NotificationPreference(new MemoryStorage());
  preference.wanted = options.wanted ?? true;
  const { scope, shown } = page(options.permission);
  const stop = syncBrowserNotifications(client, scope, { preference, since: loadedAt });
  return { transport, client, preference, scope, shown, stop };
}

describe('browser notifications', () => {
  it('a failed run is announced naming the failed step; clicking focuses the tab and opens the run', async () => {
    const { transport, scope, shown } = setup();
    const failed = runSummary('r1', after, { workflowName: 'Nightly build', status: 'failed', startedAt: '2026-01-01T10:00:00.000Z', finishedAt: after, counts: { total: 2, pending: 0, running: 0, succeeded: 1, failed: 1, skipped: 0, cancelled: 0 } });
    transport.handle('runs.get', () => ({ ...runDetail('r1', after, [stepState(1, { title: 'Fetch', status: 'succeeded' }), stepState(2, { title: 'Compile', status: 'failed', exitCode: 2 })]), ...failed }));

    transport.emit('run.updated', runSummary('r1', after));
    transport.emit('run.updated', failed);
    await settle();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Nightly build failed');
    expect(shown[0]!.options).toEqual({ body: 'Step 2 “Compile” failed (exit code 2) after 5 min 0 s.', tag: 'photon-run-r1' });

    shown[0]!.onclick!.call({} as Notification, new Event('click'));
    expect(scope.focused).toBe(1);
    expect(scope.location.hash).toBe('#/runs/r1');
    expect(shown[0]!.closed).toBe(true);
  });

  it('a step waiting for input is announced with its title', async () => {
    const { transport, shown } = setup();
    transport.handle('runs.get', () => ({ ...runDetail('r2', after, [stepState(1, { title: 'Ask for a name', status: 'running' })]), workflowName: 'Onboarding' }));
    transport.emit('run.updated', runSummary('r2', after));
    transport.emit('step.waiting', { runId: 'r2', step: 1, attempt: 1, terminalId: 't1', waiting: true });
    await settle();
    expect(shown.map((n) => [n.title, n.options?.body])).toEqual([['Onboarding is waiting for input', 'Step 1 “Ask for a name” is waiting for your answer in its terminal.']]);
  });

  it('an agent asking for permission is announced naming it, the step and the command; a click opens the Approvals page', async () => {
    const { transport, scope, shown } = setup();
    const request = { id: 'a1', kind: 'permission', status: 'waiting', sessionId: 's1', runId: 'r9', step: 3, agentName: 'Reviewer', tool: 'claude-code', title: 'Run npm test', toolKind: 'execute', command: 'npm test', diffs: [], cwd: '/repo', createdAt: after, answer: null, answeredBy: null, answeredAt: null, message: null } as const;
    transport.emit('approval.updated', { ...request, diffs: [] });
    transport.emit('approval.updated', { ...request, diffs: [], status: 'allowed', answer: 'once', answeredBy: 'person', answeredAt: after });
    await settle();
    expect(shown.map((n) => [n.title, n.options?.body])).toEqual([['Reviewer asks for permission', 'Step 3 wants to run npm test.']]);
    shown[0]!.onclick!.call({} as Notification, new Event('click'));
    expect(scope.location.hash).toBe('#/approvals');
  });

  it('a run that ended before the page loaded is not announced', async () => {
    const { transport, shown } = setup();
    transport.emit('run.updated', runSummary('old', before, { status: 'succeeded', finishedAt: before }));
    await settle();
    expect(shown).toEqual([]);
  });

  it('nothing is shown, or read, until the user turned notifications on and the browser allows them', async () => {
    for (const options of [{ wanted: false }, { permission: 'default' as const }, { permission: 'denied' as const }]) {
      const { transport, shown } = setup(options);
      transport.emit('run.updated', runSummary('r3', after));
      transport.emit('run.updated', runSummary('r3', after, { status: 'failed', finishedAt: after }));
      transport.emit('step.waiting', { runId: 'r4', step: 1, attempt: 1, terminalId: 't', waiting: true });
      await settle();
      expect(shown).toEqual([]);
      expect(transport.calls('runs.get')).toEqual([]);
    }
  });

  it('turning them off in the page stops them at once', async () => {
    const { transport, preference, shown } = setup();
    preference.wanted = false;
    transport.emit('run.updated', runSummary('r5', after));
    transport.emit('run.updated', runSummary('r5', after, { status: 'succeeded', finishedAt: after }));
    await settle();
    expect(shown).toEqual([]);
  });

  it('stays silent inside the desktop app, whose main process shows its own', async () => {
    const { transport, shown } = setup({ kind: 'bridge' });
    transport.emit('run.updated', runSummary('r6', after));
    transport.emit('run.updated', runSummary('r6', after, { status: 'succeeded', finishedAt: after }));
    await settle();
    expect(shown).toEqual([]);
  });

  it('stops listening when stopped', async () => {
    const { transport, shown, stop } = setup();
    stop();
    transport.emit('run.updated', runSummary('r7', after));
    transport.emit('run.updated', runSummary('r7', after, { status: 'succeeded', finishedAt: after }));
    await settle();
    expect(shown).toEqual([]);
  });
});

describe('the notification preference', () => {
  it('is remembered in storage, and off until chosen', () => {
    const storage = new MemoryStorage();
    expect(new NotificationPreference(storage).wanted).toBe(false);
    new NotificationPreference(storage).wanted = true;
    expect(storage.values.get(NotificationPreference.storageKey)).toBe('on');
    expect(new NotificationPreference(storage).wanted).toBe(true);
  });

  it('lasts for the page when storage refuses', () => {
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const preference = new NotificationPreference(refusing);
    preference.wanted = true;
    expect(preference.wanted).toBe(true);
  });
});

describe('pins', () => {
  it('lists pinned workflows first, each group most recently updated first', () => {
    const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    const list = [
      { ...workflowSummary('a'), updatedAt: at(5) },
      { ...workflowSummary('b'), updatedAt: at(1), pinned: true },
      { ...workflowSummary('c'), updatedAt: at(3) },
      { ...workflowSummary('d'), updatedAt: at(4), pinned: true },
    ];
    expect(pinnedFirst(list).map((w) => w.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('pinning calls the engine, then moves the workflow first in the store, its open view included', async () => {
    const transport = new FakeTransport().handle('workflows.pin', (p) => ({ pinned: (p as { pinned: boolean }).pinned }));
    const client = createClient(transport);
    const store = createPhotonStore();
    store.getState().workflowsLoaded([workflowSummary('w1'), workflowSummary('w2')]);
    store.getState().workflowLoaded(savedWorkflow('w2'));

    await pinWorkflow(client, store, 'w2', true);
    expect(transport.calls('workflows.pin')).toEqual([{ id: 'w2', pinned: true }]);
    expect(store.getState().workflows.list.map((w) => [w.id, w.pinned])).toEqual([
      ['w2', true],
      ['w1', false],
    ]);
    expect(store.getState().workflows.byId.w2!.pinned).toBe(true);
    expect(store.getState().busy).toEqual({});

    await pinWorkflow(client, store, 'w2', false);
    expect(store.getState().workflows.list.map((w) => w.pinned)).toEqual([false, false]);
  });

  it('a refused pin changes nothing and says why', async () => {
    const transport = new FakeTransport().handle('workflows.pin', () => {
      throw new PhotonError('not_found', 'no saved workflow "gone"');
    });
    const store = createPhotonStore();
    store.getState().workflowsLoaded([workflowSummary('gone')]);
    await pinWorkflow(createClient(transport), store, 'gone', true);
    expect(store.getState().workflows.list[0]!.pinned).toBe(false);
    expect(store.getState().notices.map((n) => [n.title, n.code, n.message])).toEqual([['Could not pin the workflow', 'not_found', 'no saved workflow "gone"']]);
  });
});
