import type { SqliteDatabase } from './database.js';

/**
 * One SQLite transaction for what the engine writes in one stretch of synchronous work. A step's
 * end and the next step's start (and a burst of skips) are written in one such stretch: committed
 * one by one, each cost a commit of its own (two a step, the largest part of the engine's own time
 * per step in bench/dag.bench.ts).
 *
 * The first write begins the transaction (IMMEDIATE: it holds the write lock from the start, so a
 * read in between never turns into a busy snapshot when another engine writes to the same file);
 * it commits as soon as that synchronous work is done (a microtask queued then runs before any
 * promise continuation waiting for the work), or earlier when `commit()` is asked. So whoever
 * awaits a write, in this process or reading the file from another, finds it committed.
 *
 * What announces the writes waits with `afterCommit` until the end of the turn of the event loop
 * (process.nextTick runs after every promise job of the turn): by then they are committed, and the
 * processes started in the turn have been asked for. A process is started only after `commit()`:
 * its attempt's row says it runs, and that is what recovery after a SIGKILL goes by. What a crash
 * loses is what the current stretch wrote, the same as crashing just before it.
 */
export class TurnTransaction {
  private open = false;
  private announcing = false;
  private readonly after = new Set<() => void>();
  private readonly begin;
  private readonly end;
  private readonly rollback;

  constructor(private readonly db: SqliteDatabase) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.end = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Runs `work` inside the current transaction, beginning one if none is open. */
  write<T>(work: () => T): T {
    if (!this.open && !this.db.inTransaction) {
      this.begin.run();
      this.open = true;
      queueMicrotask(() => this.commitQueued());
    }
    return work();
  }

  /** Runs `callback` at the end of this turn, once what it wrote is committed (and the processes asked for in it are started). */
  afterCommit(callback: () => void): void {
    this.after.add(callback);
    if (this.announcing) return;
    this.announcing = true;
    process.nextTick(() => this.endTurn());
  }

  /** Commits what was written so far, now. */
  commit(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.end.run();
    } catch (error) {
      // A failed COMMIT (disk full, I/O error) may leave the transaction open: none of it is kept, and the caller hears why.
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  private commitQueued(): void {
    try {
      if (this.db.open) this.commit();
    } catch (error) {
      console.error(`photon: could not write the runs' changes to the database: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private endTurn(): void {
    this.announcing = false;
    // Written by a callback of the turn before (a listener that changed a step): committed before it is announced.
    this.commitQueued();
    const callbacks = [...this.after];
    this.after.clear();
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        // One failing announcement must not keep the others back.
        console.error('photon: after a commit:', error);
      }
    }
  }
}
