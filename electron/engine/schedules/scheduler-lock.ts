import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { identityAlive, processIdentity } from '../terminals/index.js';

export const schedulerLockFileName = 'scheduler.lock';

/**
 * Which engine on a data folder fires its schedules and triggers: the desktop app and `photon
 * daemon` may both run on it, and a schedule must start one run, not one per engine. The first
 * engine takes the lock file (its process identity, so a pid reused after a crash does not count);
 * the others keep asking, and take it over once its holder is gone.
 */
export class SchedulerLock {
  private readonly file: string;
  private readonly identity = processIdentity(process.pid);
  private held = false;

  constructor(dataDir: string) {
    this.file = join(dataDir, schedulerLockFileName);
  }

  /** Whether this engine holds the lock now, taking it when it is free or its holder is gone. */
  acquire(): boolean {
    if (this.held && this.holder() === this.identity) return true;
    this.held = false;
    for (let tries = 0; tries < 2; tries++) {
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        try {
          writeSync(fd, this.identity);
        } finally {
          closeSync(fd);
        }
        this.held = true;
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = this.holder();
      // Being written this instant (empty), or held by a live engine: not ours.
      if (holder === '' || (holder !== undefined && identityAlive(holder))) return false;
      try {
        unlinkSync(this.file);
      } catch {
        // Another engine removed it first; the next try decides.
      }
    }
    return false;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.holder() !== this.identity) return;
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }

  private holder(): string | undefined {
    try {
      return readFileSync(this.file, 'utf8').trim();
    } catch {
      return undefined;
    }
  }
}
