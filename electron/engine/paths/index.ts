/** Paths: where Photon keeps its data, shared by the desktop app and the command line. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const appName = 'Photon';

/**
 * The operating system's application-data folder for an app named Photon: the folder Electron's
 * `app.getPath('userData')` gives the desktop app, so the app and the CLI share history.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appName);
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), appName);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), appName);
}

/** `--data-dir`, else `PHOTON_DATA_DIR`, else the default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.PHOTON_DATA_DIR || defaultDataDir(env);
}
