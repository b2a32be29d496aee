import type { Agent } from '../../shared/agents.js';
import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { loadAgents, loadSecretNames } from '../sync/agents-sync.js';
import { errorBody, reportBackgroundError, reportError } from '../sync/report-error.js';

/** A refusal keeps the engine's `details` (which fields it names) for the form. */
export type Outcome = { ok: true } | { ok: false; error: ReturnType<typeof errorBody> & { details?: unknown } };

/** What opens in a new terminal: an agent's tool with its settings, or a tool with its defaults. */
/** `worktree`: start in a new worktree of the folder's repository (terminals.create's worktree option). */
export type TerminalTarget = { agentId: string } | { tool: string; cwd?: string; worktree?: { base?: string } };

/**
 * What the user can do on the Agents page and in the New terminal dialog. Failures the form or
 * section shows itself come back as an Outcome; the rest become notices. None throws.
 */
export interface AgentActions {
  /** Saves (creates or replaces) an agent; a refusal comes back for the form to show. */
  save(agent: Agent): Promise<Outcome>;
  remove(id: string): Promise<void>;
  /** Looks for the tools again (busy key `tools:detect`). */
  detectTools(): Promise<void>;
  /** Stores a value in the keychain (busy key `secrets:set`); the value is not kept anywhere here. */
  setSecret(name: string, value: string): Promise<Outcome>;
  deleteSecret(name: string): Promise<void>;
  /** Asks the keychain again (busy key `secrets:check`): one may have been started or unlocked since. */
  checkKeychain(): Promise<void>;
  /** Opens the tool in a new terminal tab in the dock (the engine titles it: agent or tool, and folder). */
  openInTerminal(target: TerminalTarget): Promise<boolean>;
}

export const detectBusyKey = 'tools:detect';
export const setSecretBusyKey = 'secrets:set';
export const checkKeychainBusyKey = 'secrets:check';
export const agentBusyKey = (id: string) => `agent:${id}`;
export const secretBusyKey = (name: string) => `secret:${name}`;

export function createAgentActions(client: RendererClient, store: PhotonStore): AgentActions {
  const state = () => store.getState();

  const whileBusy = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    state().setBusy(key, true);
    try {
      return await work();
    } finally {
      state().setBusy(key, false);
    }
  };

  /** After a change: the list and the status of every agent again (an agent's status depends on its tool). */
  const refreshAgents = () => loadAgents(client, store).catch((error: unknown) => reportBackgroundError(store, 'Could not list agents', error));

  return {
    save: (agent) =>
      whileBusy(agentBusyKey(agent.id), async () => {
        try {
          const { id } = await client.call('agents.save', { agent });
          state().agentSaved(await client.call('agents.get', { id }));
        } catch (error) {
          return { ok: false, error: { ...errorBody(error), details: (error as { details?: unknown }).details } };
        }
        await refreshAgents();
        return { ok: true };
      }),

    remove: (id) =>
      whileBusy(agentBusyKey(id), async () => {
        try {
          await client.call('agents.delete', { id });
          state().agentRemoved(id);
        } catch (error) {
          reportError(store, `Could not delete agent "${id}"`, error);
        }
      }),

    detectTools: () =>
      whileBusy(detectBusyKey, async () => {
        try {
          state().toolsLoaded(await client.call('tools.detect'));
        } catch (error) {
          reportError(store, 'Could not detect the tools', error);
          return;
        }
        await refreshAgents();
      }),

    setSecret: (name, value) =>
      whileBusy(setSecretBusyKey, async () => {
        try {
          await client.call('secrets.set', { name, value });
        } catch (error) {
          return { ok: false, error: errorBody(error) };
        }
        await loadSecretNames(client, store).catch((error: unknown) => reportBackgroundError(store, 'Could not list secrets', error));
        return { ok: true };
      }),

    deleteSecret: (name) =>
      whileBusy(secretBusyKey(name), async () => {
        try {
          await client.call('secrets.delete', { name });
          await loadSecretNames(client, store);
        } catch (error) {
          reportError(store, `Could not delete secret "${name}"`, error);
        }
      }),

    checkKeychain: () =>
      whileBusy(checkKeychainBusyKey, () => loadSecretNames(client, store).catch((error: unknown) => reportError(store, 'Could not ask the keychain', error))),

    async openInTerminal(target) {
      try {
        const info = await client.call('terminals.create', target);
        state().terminalTabOpened(info);
        return true;
      } catch (error) {
        reportError(store, 'agentId' in target ? `Could not open agent "${target.agentId}" in a terminal` : `Could not open ${target.tool} in a terminal`, error);
        return false;
      }
    },
  };
}
