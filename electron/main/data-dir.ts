import { resolve } from 'node:path';

/**
 * The app's data folder: Electron's userData (for productName Photon, the folder the CLI uses by
 * default), unless PHOTON_DATA_DIR names another. Chromium's own profile moves with it, so a
 * second data folder is a fully separate app (its own single-instance lock too).
 */
export function dataDirFor(env: NodeJS.ProcessEnv, userDataPath: string): { dataDir: string; overridden: boolean } {
  const override = env.PHOTON_DATA_DIR?.trim();
  return override ? { dataDir: resolve(override), overridden: true } : { dataDir: userDataPath, overridden: false };
}
