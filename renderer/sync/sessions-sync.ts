import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { errorBody, reportBackgroundError } from './report-error.js';

/** Reads a session whole: its state and conversation. A session the engine no longer holds is said so. */
export async function loadSession(client: RendererClient, store: PhotonStore, id: string): Promise<void> {
  try {
    const { info, entries } = await client.call('sessions.get', { id });
    store.getState().sessionLoaded(info, entries);
    store.getState().setViewError(`session:${id}`, null);
  } catch (error) {
    const body = errorBody(error);
    if (body.code === 'not_found' || body.code === 'invalid') store.getState().setViewError(`session:${id}`, body);
    else reportBackgroundError(store, 'Could not read the session', error);
  }
}

const runReads = new Map<string, Promise<void>>();

/**
 * The sessions a run's steps ran as (one per attempt, kept with it), read once per run page so a
 * step's card finds its conversation after a reload or a restart; events add the attempts that start later.
 */
export function loadRunSessions(client: RendererClient, store: PhotonStore, runId: string): void {
  if (runReads.has(runId)) return;
  runReads.set(
    runId,
    client.call('sessions.list', { runId }).then(
      (list) => store.getState().sessionsListed(list),
      // Read again the next time a page asks: a failed read must not hide the conversations for good.
      () => void runReads.delete(runId),
    ),
  );
}

/**
 * Keeps sessions current: their state from `session.updated`, their conversation from
 * `session.entry` (applied in place). Conversations are read whole only by a view that shows one
 * (useShownSession), when it has none yet or its events had a gap; each time the link opens every
 * held conversation is marked for reading again, and the list is read.
 */
export function startSessionsSync(client: RendererClient, store: PhotonStore): () => void {
  const loadList = () =>
    client.call('sessions.list').then(
      (list) => store.getState().sessionsListed(list),
      (error: unknown) => reportBackgroundError(store, 'Could not list the sessions', error),
    );
  const stops = [
    client.on('session.updated', (info) => store.getState().sessionUpdated(info)),
    client.on('session.entry', ({ sessionId, index, entry }) => store.getState().sessionEntry(sessionId, index, entry)),
    client.transport.onState((state) => {
      if (state.status !== 'open') return;
      store.getState().sessionsStale();
      void loadList();
    }),
  ];
  if (client.transport.state().status === 'open') void loadList();
  return () => {
    for (const stop of stops) stop();
  };
}
