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

const runRecords = new Map<string, Promise<void>>();

/**
 * A run's whole record of requests, read once per page (the run page asks for each of its steps,
 * so the reads are shared); events keep it current after. Returns nothing to undo.
 */
export function loadRunApprovals(client: RendererClient, store: PhotonStore, runId: string): void {
  if (runRecords.has(runId)) return;
  runRecords.set(
    runId,
    client.call('approvals.list', { runId }).then(
      (items) => store.getState().approvalsMerged(items),
      // Read again the next time a page asks: a failed read must not hide the record for good.
      () => void runRecords.delete(runId),
    ),
  );
}
