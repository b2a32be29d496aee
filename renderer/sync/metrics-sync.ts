import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { errorBody, reportBackgroundError } from './report-error.js';

/**
 * The dashboard's latest numbers. An engine without metrics answers `unavailable` while the link
 * is open: that is said on the page, not raised as an error notice on every visit.
 */
export async function loadMetricsSnapshot(client: RendererClient, store: PhotonStore): Promise<void> {
  try {
    store.getState().metricsReceived(await client.call('metrics.snapshot'));
  } catch (error) {
    const body = errorBody(error);
    if (body.code === 'unavailable' && store.getState().connection.status === 'open') store.getState().metricsUnavailable(body.message);
    else reportBackgroundError(store, 'Could not read the metrics', error);
  }
}

/** `metrics.tick` (once a second while anything runs) into the store, for the cards and the live charts. */
export function syncMetricsEvents(client: RendererClient, store: PhotonStore): () => void {
  return client.on('metrics.tick', (snapshot) => store.getState().metricsReceived(snapshot));
}
