/**
 * The browser host's access token: 32 random bytes as hex, kept in DATA_DIR/server-token so the
 * URL a user bookmarked keeps working across restarts. The file is readable by its owner alone.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const tokenFileName = 'server-token';

const tokenPattern = /^[0-9a-f]{64}$/;
const privateMode = 0o600;
// Windows has neither POSIX modes nor O_NOFOLLOW; its ACLs already keep a profile folder private.
const posix = process.platform !== 'win32';

export function tokenFilePath(dataDir: string): string {
  return join(dataDir, tokenFileName);
}

/** The token in the data folder, created on first use; a file with loose permissions is tightened. */
export function loadOrCreateToken(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = tokenFilePath(dataDir);
  const existing = readPrivateToken(path);
  if (existing !== undefined) return existing;
  return writeNewToken(path);
}

/** The token if the file holds one; undefined when it is missing or does not hold a token. */
function readPrivateToken(path: string): string | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink planted in place of the token file must not redirect the read or the chmod.
    fd = openSync(path, constants.O_RDONLY | (posix ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ELOOP') throw new Error(`${path} is a symbolic link; remove it and Photon will create a new token`);
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${path} is not a regular file; remove it and Photon will create a new token`);
    if (posix) {
      if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
        throw new Error(`${path} belongs to another user; remove it and Photon will create a new token`);
      }
      if ((stat.mode & 0o777) !== privateMode) fchmodSync(fd, privateMode);
    }
    const token = readFileSync(fd, 'utf8').trim();
    return tokenPattern.test(token) ? token : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Written beside the target and renamed over it, so a reader never sees half a token. */
function writeNewToken(path: string): string {
  const token = randomBytes(32).toString('hex');
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // Created with its final mode ('wx': never through an existing file), not chmod-ed afterwards.
    writeFileSync(temporary, `${token}\n`, { flag: 'wx', mode: privateMode });
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written, or the rename already moved it.
    }
    throw error;
  }
  return token;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : undefined;
}
