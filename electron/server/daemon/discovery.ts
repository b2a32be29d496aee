/**
 * How `photon` commands find a running `photon daemon`: the daemon writes DATA_DIR/daemon.json (its
 * URL and pid, readable by the user alone) once it listens and removes it when it stops; a command
 * on the same data folder then talks to it (connection.ts) instead of opening the database
 * itself. A file left by a daemon that was killed names a pid that is gone, or a port where nothing
 * answers: both count as no daemon.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const discoveryFileName = 'daemon.json';

export interface DaemonInfo {
  /** The daemon's origin on this machine: http://127.0.0.1:PORT. */
  url: string;
  pid: number;
  startedAt: string;
  version: string;
}

export function discoveryFile(dataDir: string): string {
  return join(dataDir, discoveryFileName);
}

/** Written whole (a temporary file renamed over it), so a reader never sees half of it. */
export function writeDiscovery(dataDir: string, info: DaemonInfo): void {
  const file = discoveryFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Removes the file if it is still this process's (a newer daemon's is left alone). */
export function removeDiscovery(dataDir: string, pid = process.pid): void {
  if (readDiscovery(dataDir)?.pid !== pid) return;
  try {
    unlinkSync(discoveryFile(dataDir));
  } catch {
    // Already gone.
  }
}

/** The daemon the file names, if its process is alive; undefined for no file, a bad one, or a dead pid. */
export function findDaemon(dataDir: string): DaemonInfo | undefined {
  const info = readDiscovery(dataDir);
  if (!info || !pidAlive(info.pid)) return undefined;
  return info;
}

function readDiscovery(dataDir: string): DaemonInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(discoveryFile(dataDir), 'utf8')) as Partial<DaemonInfo>;
    if (typeof parsed.url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(parsed.url) || !Number.isInteger(parsed.pid)) return undefined;
    return parsed as DaemonInfo;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, someone else's (then it is no daemon of ours, but the connection will tell).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
