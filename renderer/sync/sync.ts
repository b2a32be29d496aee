import type { RendererClient } from '../client/photon-client.js';
import type { Route } from '../lib/route.js';
import { recentRunsLimit, type RunEvent } from '../store/runs-slice.js';
import type { PhotonStore } from '../store/store.js';
import { routeKey } from '../store/ui-slice.js';
import { syncBrowserNotifications } from '../notifications/browser-notifications.js';
import { loadAgentsPage, syncAgentEvents } from './agents-sync.js';
import { loadMetricsSnapshot, syncMetricsEvents } from './metrics-sync.js';
import { errorBody, reportBackgroundError } from './report-error.js';

/**
 * Runs `work` before the next frame is drawn; in a hidden page, where frames stop, within 250 ms
 * anyway, so the store is current when the page shows again and views polling it see progress.
 */
export function scheduleFrame(work: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
    work();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(once) : undefined;
  const timer = setTimeout(once, frame === undefined ? 16 : 250);
  return () => {
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

export interface Sync {
  /** Fetches everything shown: lists, engine facts and the open view. Runs after every (re)connect. */
  catchUp(): Promise<void>;
  /** Fetches what a view needs. */
  loadRoute(route: Route): Promise<void>;
  stop(): void;
}

/**
 * Keeps the store current: events update it as they come, and every time the link opens (first
 * connect or reconnect) the lists and the open view are fetched again, so nothing missed while
 * the link was down stays on screen.
 */
export function startSync(client: RendererClient, store: PhotonStore): Sync {
  const { transport } = client;

  /** A workflow deleted since is simply not offered; other failures are reported. */
  const loadSavedWorkflow = async (id: string): Promise<void> => {
    try {
      store.getState().workflowLoaded(await client.call('workflows.get', { id }));
    } catch (error) {
      if (errorBody(error).code !== 'not_found') reportBackgroundError(store, 'Could not load the saved workflow', error);
    }
  };

  const loadRoute = async (route: Route): Promise<void> => {
    if (route.view === 'agents') return loadAgentsPage(client, store);
    if (route.view === 'dashboard') return loadMetricsSnapshot(client, store);
    // Other pages without an id load their own data.
    if (route.view !== 'workflow' && route.view !== 'run') return;
    const key = routeKey(route);
    try {
      if (route.view === 'workflow') store.getState().workflowLoaded(await client.call('workflows.get', { id: route.id }));
      else {
        const run = await client.call('runs.get', { runId: route.id });
        store.getState().runLoaded(run);
        // The run page compares the saved workflow with what ran, to offer resuming with it.
        if (run.workflowId) await loadSavedWorkflow(run.workflowId);
      }
      store.getState().setViewError(key, null);
    } catch (error) {
      const body = errorBody(error);
      if (body.code === 'not_found' || body.code === 'invalid') store.getState().setViewError(key, body);
      else reportBackgroundError(store, route.view === 'workflow' ? 'Could not load the workflow' : 'Could not load the run', error);
    }
  };

  const catchUp = async (): Promise<void> => {
    const load = async <T>(title: string, fetch: () => Promise<T>, apply: (value: T) => void) => {
      try {
        apply(await fetch());
      } catch (error) {
        reportBackgroundError(store, title, error);
      }
    };
    await Promise.all([
      load('Could not read the engine information', () => client.call('system.info'), (info) => store.getState().setSystem(info)),
      load('Could not list workflows', () => client.call('workflows.list'), (list) => store.getState().workflowsLoaded(list)),
      load('Could not list runs', () => client.call('runs.list', { limit: recentRunsLimit }), (list) => store.getState().runsLoaded(list)),
      loadRoute(store.getState().route),
    ]);
  };

  // Run events are applied once a frame, all of that frame's together (see runEventQueued).
  const queue = (event: RunEvent) => {
    if (store.getState().runEventQueued(event)) cancelFlush = scheduleFrame(() => store.getState().flushRunEvents());
  };
  let cancelFlush = () => {};

  const stops = [
    client.on('run.updated', (payload) => queue({ event: 'run.updated', payload })),
    client.on('step.updated', (payload) => queue({ event: 'step.updated', payload })),
    client.on('workspace.updated', (payload) => queue({ event: 'workspace.updated', payload })),
    () => cancelFlush(),
    syncAgentEvents(client, store),
    syncBrowserNotifications(client),
    syncMetricsEvents(client, store),
    transport.onState((state) => {
      store.getState().setConnection(state);
      if (state.status !== 'open') return;
      // Failures that only said the link was down are answered now that it is back.
      for (const notice of store.getState().notices) if (notice.code === 'unavailable') store.getState().dismissNotice(notice.id);
      void catchUp();
    }),
    store.subscribe((state, previous) => {
      if (state.route !== previous.route && state.connection.status === 'open') void loadRoute(state.route);
    }),
  ];

  store.getState().setConnection(transport.state());
  if (transport.state().status === 'open') void catchUp();

  return {
    catchUp,
    loadRoute,
    stop() {
      for (const stop of stops) stop();
    },
  };
}
