/**
 * Paths: where Photon keeps its data (shared by the desktop app and the command line), the folders
 * processes start in, and the files and folders of run history, made for the user alone.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';

export { makePrivateFile, makePrivateFolder, narrowIfOpen, preparePrivateDataDir, privateFileMode, privateFolderMode } from './private-files.js';

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

/**
 * A folder a process will start in, as the user wrote it: `~` and `~/x` as a shell reads them,
 * other relative paths against `base`. It must exist now, or the process would start only to print
 * "chdir(2) failed" and end; the error names `place` (where the folder was written) and the fix.
 */
export function existingFolder(path: string, base: string, place: string): string {
  const folder = path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : resolve(base, path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Reported below with its place.
  }
  if (!isFolder) throw new PhotonError('invalid', `${place}: folder "${folder}" does not exist; create it or fix the path`);
  return folder;
}
