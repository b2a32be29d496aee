import type { Engine } from '../../engine/index.js';

/**
 * The engine on the data folder the user chose: --data-dir, else PHOTON_DATA_DIR, else the app's folder.
 * The engine (SQLite, node-pty and everything else) is imported only here, when a command needs it,
 * so `photon --help` and usage errors start without loading it.
 */
export async function openEngine(dataDirFlag: string | undefined, host: 'cli' | 'server' = 'cli'): Promise<Engine> {
  const { createEngine, resolveDataDir } = await import('../../engine/index.js');
  return createEngine({ dataDir: resolveDataDir(dataDirFlag), host });
}

/** Runs `work` with an engine and closes it after, whatever happens. */
export async function withEngine<T>(dataDirFlag: string | undefined, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(dataDirFlag);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** The --data-dir flag as hints repeat it, so a copied command finds the same history. */
export function dataDirArgs(dataDirFlag: string | undefined): string {
  if (!dataDirFlag) return '';
  return / |'|"/.test(dataDirFlag) ? ` --data-dir '${dataDirFlag.replace(/'/g, `'\\''`)}'` : ` --data-dir ${dataDirFlag}`;
}
