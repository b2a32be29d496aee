import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { reportBackgroundError } from './report-error.js';

/** Requests read at each connect: every waiting one and the latest answered, for the record. */
export const approvalsReadLimit = 500;

export async function loadApprovals(client: RendererClient, store: PhotonStore): Promise<void> {
  try {
    store.getState().approvalsLoaded(await client.call('approvals.list', { limit: approvalsReadLimit }));
  } catch (error) {
    reportBackgroundError(store, 'Could not read the approvals inbox', error);
  }
}

/**
 * Keeps the inbox current everywhere (the sidebar's badge counts it on every page): each request
 * and answer as its event comes, and the whole list again each time the link opens, so a request
 * answered elsewhere while the link was down leaves the inbox.
 */
export function startApprovalsSync(client: RendererClient, store: PhotonStore): () => void {
  const stops = [
    client.on('approval.updated', (item) => store.getState().approvalUpdated(item)),
    client.transport.onState((state) => {
      if (state.status === 'open') void loadApprovals(client, store);
    }),
  ];
  if (client.transport.state().status === 'open') void loadApprovals(client, store);
  return () => {
    for (const stop of stops) stop();
  };
}
