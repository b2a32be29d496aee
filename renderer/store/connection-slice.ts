import type { StateCreator } from 'zustand';
import type { SystemInfo } from '../../shared/api.js';
import type { ConnectionState } from '../client/transport.js';
import type { PhotonState } from './store.js';

export interface ConnectionSlice {
  connection: ConnectionState;
  /** The engine's facts (version, runnable platforms), once fetched. */
  system: SystemInfo | null;
  setConnection(connection: ConnectionState): void;
  setSystem(system: SystemInfo): void;
}

export const initialConnection: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null, reason: null };

export const createConnectionSlice: StateCreator<PhotonState, [], [], ConnectionSlice> = (set) => ({
  connection: initialConnection,
  system: null,
  setConnection: (connection) => set({ connection }),
  setSystem: (system) => set({ system }),
});
