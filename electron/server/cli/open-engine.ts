import type { Engine } from '../../engine/index.js';
import type { EngineCaller } from '../daemon/index.js';
import type { RemoteTarget } from './remote-engine.js';

export type { EngineCaller } from '../daemon/index.js';

/**
 * The engine on the data folder the user chose: --data-dir, else PHOTON_DATA_DIR, else the app's folder.
 * The engine (SQLite, node-pty and everything else) is imported only here, when a command needs it,
 * so `photon --help` and usage errors start without loading it.
 */
export async function openEngine(dataDirFlag: string | undefined, host: 'cli' | 'server' = 'cli', limits: EngineLimits = {}): Promise<Engine> {
  const { createEngine, resolveDataDir } = await import('../../engine/index.js');
  return createEngine({ dataDir: resolveDataDir(dataDirFlag), host, ...limits });
}

/** What a command's flags may change about its own engine (`--max-agents`). */
export interface EngineLimits {
  maxAgents?: number;
}

/**
 * Runs `work` against the data folder's engine: the `photon daemon` running on it when there is one
 * (so what the command changes, a schedule added, is seen by the engine that fires it at once),
 * else an engine of its own, closed after whatever happens.
 */
export async function withEngine<T>(dataDirFlag: string | undefined, work: (engine: EngineCaller & { readonly daemonUrl?: string }) => Promise<T>): Promise<T> {
  const daemon = await connectDaemon(dataDirFlag);
  if (daemon) {
    try {
      return await work(Object.assign(daemon, { daemonUrl: daemon.daemon.url }));
    } finally {
      await daemon.close();
    }
  }
  return withLocalEngine(dataDirFlag, work);
}

/** Runs `work` with an engine of this process's own (commands that follow a run's events), closed after. */
export async function withLocalEngine<T>(dataDirFlag: string | undefined, work: (engine: Engine) => Promise<T>, limits: EngineLimits = {}): Promise<T> {
  const engine = await openEngine(dataDirFlag, 'cli', limits);
  try {
    return await work(engine);
  } finally {
    // Its steps are over: the terminal host, idle, ends while the engine closes (its database's
    // last checkpoint), not after this process has exited.
    const { releaseTerminalHost } = await import('../../engine/early.js');
    releaseTerminalHost();
    await engine.close();
  }
}

/** The daemon on the data folder as the REST API's client reaches it (its URL and the data folder's token); undefined when none runs. */
export async function daemonTarget(dataDirFlag: string | undefined): Promise<RemoteTarget | undefined> {
  const [{ resolveDataDir }, { findDaemon }, { loadOrCreateToken }] = await Promise.all([import('../../engine/index.js'), import('../daemon/discovery.js'), import('../web/token-store.js')]);
  const dataDir = resolveDataDir(dataDirFlag);
  const daemon = findDaemon(dataDir);
  return daemon && { url: daemon.url, apiKey: '', token: loadOrCreateToken(dataDir) };
}

/**
 * The daemon on the data folder, connected; undefined when none runs there. Its discovery file is
 * read first: the connection's module (and ws) loads only when there is a daemon to connect to.
 */
async function connectDaemon(dataDirFlag: string | undefined) {
  const [{ resolveDataDir }, { findDaemon }] = await Promise.all([import('../../engine/index.js'), import('../daemon/discovery.js')]);
  const dataDir = resolveDataDir(dataDirFlag);
  if (!findDaemon(dataDir)) return undefined;
  const { connectToDaemon } = await import('../daemon/index.js');
  return connectToDaemon(dataDir);
}

/** The --data-dir flag as hints repeat it, so a copied command finds the same history. */
export function dataDirArgs(dataDirFlag: string | undefined): string {
  if (!dataDirFlag) return '';
  return / |'|"/.test(dataDirFlag) ? ` --data-dir '${dataDirFlag.replace(/'/g, `'\\''`)}'` : ` --data-dir ${dataDirFlag}`;
}
