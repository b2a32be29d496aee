import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { reportError } from './report-error.js';

/** The busy mark of a workflow's pin button while its call is in flight. */
export const pinBusyKey = (id: string) => `pin:${id}`;

/**
 * Pins or unpins a workflow (offered first in the sidebar and the tray). The store changes only
 * once the engine has accepted, so the sidebar never shows a pin the engine does not hold.
 */
export async function pinWorkflow(client: RendererClient, store: PhotonStore, id: string, pinned: boolean): Promise<void> {
  const state = store.getState();
  state.setBusy(pinBusyKey(id), true);
  try {
    const result = await client.call('workflows.pin', { id, pinned });
    store.getState().workflowPinned(id, result.pinned);
  } catch (error) {
    reportError(store, pinned ? 'Could not pin the workflow' : 'Could not unpin the workflow', error);
  } finally {
    store.getState().setBusy(pinBusyKey(id), false);
  }
}
