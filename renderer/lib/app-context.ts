import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RendererClient } from '../client/photon-client.js';
import type { PhotonState, PhotonStore } from '../store/store.js';
import type { Actions } from '../sync/actions.js';

/** What every component may reach: the client (for event feeds), the store and the user's actions. */
export interface AppServices {
  client: RendererClient;
  store: PhotonStore;
  actions: Actions;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices needs an <AppContext.Provider> above it');
  return services;
}

/** Reads the store; pair selectors that build arrays or objects with useShallow. */
export function usePhoton<T>(selector: (state: PhotonState) => T): T {
  return useStore(useServices().store, selector);
}
