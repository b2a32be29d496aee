import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { privateFileMode } from '../paths/index.js';

/**
 * Space kept on the database's disk for the one write that matters once the disk is full: the one
 * that ends the runs whose history could not be written, saying why (runs/run-settlement.ts). A
 * full disk refuses that write too, and such a run would show `running` until a restart. The
 * reserve is a file of its own beside the database, made when the engine opens its storage, given
 * up when that write is refused for want of space, and made again when such a run is resumed (the
 * user freed space) or at the next start. Random
 * bytes, not zeros: a compressing file system keeps zeros in no space at all.
 */
const reserveBytes = 512 * 1024;

function reservePath(databaseFile: string): string {
  return `${databaseFile}-reserve`;
}

/** Makes the reserve if it is missing; a disk too full for it goes without. Returns whether it is there. */
export function keepDiskReserve(databaseFile: string): boolean {
  const path = reservePath(databaseFile);
  try {
    if (statSync(path).size === reserveBytes) return true;
  } catch {
    // Missing: made below.
  }
  try {
    writeFileSync(path, randomBytes(reserveBytes), { mode: privateFileMode });
    return true;
  } catch {
    // A part written is no reserve. What cannot be removed either (a read-only disk, something not
    // ours in its place) is left as it is: the engine opens without a reserve rather than not at all.
    try {
      rmSync(path, { force: true });
    } catch {
      // Left as found.
    }
    return false;
  }
}

/** Gives the reserve's space back to the disk; false when there was none to give. */
export function freeDiskReserve(databaseFile: string): boolean {
  try {
    rmSync(reservePath(databaseFile));
    return true;
  } catch {
    return false;
  }
}
