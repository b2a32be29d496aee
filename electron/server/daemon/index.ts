/**
 * A running `photon daemon`, as other processes find and use it: its discovery file, a connection
 * to it, and an engine-shaped proxy of it for the desktop app.
 */
import { loadOrCreateToken } from '../web/token-store.js';
import { DaemonConnection } from './connection.js';
import { findDaemon } from './discovery.js';

export { DaemonConnection, type EngineCaller } from './connection.js';
export { DaemonEngine, type HostedEngine } from './daemon-engine.js';
export { discoveryFile, findDaemon, removeDiscovery, writeDiscovery, type DaemonInfo } from './discovery.js';

/** The daemon running on this data folder, connected; undefined when none runs there. */
export async function connectToDaemon(dataDir: string): Promise<DaemonConnection | undefined> {
  const daemon = findDaemon(dataDir);
  if (!daemon) return undefined;
  return DaemonConnection.connect(daemon, loadOrCreateToken(dataDir));
}
