import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { reportBackgroundError } from './report-error.js';

/** Saved agents and their status and record. */
export async function loadAgents(client: RendererClient, store: PhotonStore): Promise<void> {
  const [list, stats] = await Promise.all([client.call('agents.list'), client.call('agents.stats')]);
  store.getState().agentsLoaded(list);
  store.getState().agentStatsLoaded(stats);
}

export async function loadTools(client: RendererClient, store: PhotonStore): Promise<void> {
  store.getState().toolsLoaded(await client.call('tools.list'));
}

export async function loadSecretNames(client: RendererClient, store: PhotonStore): Promise<void> {
  store.getState().secretsLoaded(await client.call('secrets.list'));
}

/**
 * Everything the Agents page shows. Each part fails on its own, so a missing keychain does not
 * hide the agents, nor a slow tool detection the secrets.
 */
export async function loadAgentsPage(client: RendererClient, store: PhotonStore): Promise<void> {
  const part = async (title: string, load: () => Promise<void>) => {
    try {
      await load();
    } catch (error) {
      reportBackgroundError(store, title, error);
    }
  };
  await Promise.all([
    part('Could not list agents', () => loadAgents(client, store)),
    part('Could not list the tools', () => loadTools(client, store)),
    part('Could not list secrets', () => loadSecretNames(client, store)),
  ]);
}

/**
 * Applies `agent.updated` and `agent.deleted`. An agent the page has not seen was saved elsewhere (another window,
 * the CLI): the list is read again so its panel appears.
 */
export function syncAgentEvents(client: RendererClient, store: PhotonStore): () => void {
  const offDeleted = client.on('agent.deleted', ({ agentId }) => store.getState().agentRemoved(agentId));
  const offUpdated = client.on('agent.updated', (stats) => {
    const { agents } = store.getState();
    store.getState().agentUpdated(stats);
    if (agents.loaded && !agents.list.some((agent) => agent.id === stats.agentId)) {
      client.call('agents.list').then(
        (list) => store.getState().agentsLoaded(list),
        (error: unknown) => reportBackgroundError(store, 'Could not list agents', error),
      );
    }
  });
  return () => {
    offDeleted();
    offUpdated();
  };
}
