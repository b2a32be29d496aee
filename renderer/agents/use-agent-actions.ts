import { useServices } from '../lib/app-context.js';
import type { PhotonStore } from '../store/store.js';
import { createAgentActions, type AgentActions } from './agent-actions.js';

const made = new WeakMap<PhotonStore, AgentActions>();

/** The app's agent actions (made on first use, one per store). */
export function useAgentActions(): AgentActions {
  const { client, store } = useServices();
  let actions = made.get(store);
  if (!actions) made.set(store, (actions = createAgentActions(client, store)));
  return actions;
}
