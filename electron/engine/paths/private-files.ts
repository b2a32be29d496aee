/**
 * Run history is private: commands, their output and the database holding both are for the user
 * alone, whatever the mode of the folder they are kept in (a data folder made 0755 by hand or by an
 * older Photon) and whatever the umask. POSIX modes only; on Windows the profile folder's ACL
 * already keeps other users out, and these calls change nothing there.
 */
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const privateFolderMode = 0o700;
export const privateFileMode = 0o600;

/** Group and others' permission bits: any of them set means someone else may read or enter. */
const othersBits = 0o077;

/**
 * A folder Photon owns (created with any missing parents, for the user alone), and narrowed to the
 * user if it already exists with more. Not for a folder the user chose: that one keeps its mode.
 */
export function makePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: privateFolderMode });
  narrowIfOpen(path, privateFolderMode);
}

/** A file Photon owns: created empty for the user alone if missing, narrowed if it exists with more. */
export function makePrivateFile(path: string): void {
  const fd = openSync(path, 'a', privateFileMode);
  try {
    if (fstatSync(fd).mode & othersBits) fchmodSync(fd, privateFileMode);
  } finally {
    closeSync(fd);
  }
}

/** Narrows a file or folder of Photon's to `mode` if it exists and lets anyone else in. */
export function narrowIfOpen(path: string, mode: number): void {
  let current: number;
  try {
    current = statSync(path).mode;
  } catch {
    return;
  }
  if (current & othersBits) chmodSync(path, mode);
}

/**
 * The data folder as the engine opens it: created for the user alone if missing (an existing one
 * keeps the mode its owner gave it), and the folder of attempt logs narrowed if an older Photon
 * made it readable by others. The database narrows its own files (storage/).
 */
export function preparePrivateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: privateFolderMode });
  narrowIfOpen(join(dataDir, 'runs'), privateFolderMode);
}
