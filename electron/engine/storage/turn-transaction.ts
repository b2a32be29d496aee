import type { PhotonError } from '../../../shared/errors.js';
import type { SqliteDatabase } from './database.js';
import { historyWriteError, isWriteRefusal, sqliteCode } from './write-failure.js';

/** A stretch whose writes SQLite refused: none of them is kept. */
export interface WriteFailure {
  /** What the user reads: the database file, SQLite's reason, the fix. */
  readonly error: PhotonError;
  /**
   * Whose writes were in the stretch (runs, by id). Their later writes are dropped until
   * `release`: what remembers them (a run's executor) no longer matches the file, and a write
   * built on what was lost would leave a half-written run.
   */
  readonly owners: ReadonlySet<string>;
}

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
 * processes asked for in the turn have been started. A process is started only after `commit()`:
 * its attempt's row says it runs, and that is what recovery after a SIGKILL goes by. What a crash
 * loses is what the current stretch wrote, the same as crashing just before it.
 *
 * When SQLite refuses a write (disk full, I/O error, the lock held past the busy timeout), the
 * whole stretch is lost as a crash would lose it, and nothing is thrown at the engine's code in
 * the middle of its work (a pty's exit, a timer): the stretch's later writes are skipped, it is
 * rolled back at its end, and the `onFailure` listeners hear it once, with whose writes it held.
 */
export class TurnTransaction {
  /** idle: no transaction of ours; open: begun, writes land; failed: a write was refused, the rest are skipped. */
  private state: 'idle' | 'open' | 'failed' = 'idle';
  /** What SQLite said when it refused the current stretch. */
  private cause: unknown;
  /** Whose writes the current stretch holds. */
  private readonly owners = new Set<string>();
  private readonly fenced = new Set<string>();
  private readonly listeners: ((failure: WriteFailure) => void)[] = [];
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

  /**
   * Runs `work` inside the current transaction, beginning one if none is open; `owner` (a run's
   * id) is whose write it is. When the stretch is already lost, `lost` runs instead (a group of
   * writes, each skipped and noting whose it was). Returns undefined when the write is not made:
   * its stretch failed, or its owner's writes are dropped after a failure.
   */
  write<T>(work: () => T, owner?: string, lost?: () => void): T | undefined {
    if (owner !== undefined && this.fenced.has(owner)) return undefined;
    if (this.state === 'idle') {
      // Inside someone else's transaction (a migration, a caller's db.transaction): theirs to commit or undo.
      if (this.db.inTransaction) return work();
      queueMicrotask(() => this.endStretch());
      try {
        this.begin.run();
        this.state = 'open';
      } catch (error) {
        this.refused(error);
      }
    }
    if (owner !== undefined) this.owners.add(owner);
    try {
      if (this.state === 'open') return work();
      lost?.();
    } catch (error) {
      this.refused(error);
    }
    return undefined;
  }

  /** Hears each stretch that failed, once, at its end. */
  onFailure(listener: (failure: WriteFailure) => void): void {
    this.listeners.push(listener);
  }

  /** Lets `owner`'s writes land again: what remembers them was set right from the file (see WriteFailure). */
  release(owner: string): void {
    this.fenced.delete(owner);
  }

  /** Why the current stretch's writes will not be kept, if a write of it was refused; `retry` ends its message. */
  failedWrite(retry?: string): PhotonError | undefined {
    return this.state === 'failed' ? historyWriteError(this.db.name, this.cause, retry) : undefined;
  }

  /** Runs `callback` at the end of this turn, once what it wrote is committed (and the processes asked for in it are started). */
  afterCommit(callback: () => void): void {
    this.after.add(callback);
    if (this.announcing) return;
    this.announcing = true;
    process.nextTick(() => this.endTurn());
  }

  /** Commits what was written so far, now; throws (the user's message) when it is lost instead. */
  commit(): void {
    const failure = this.endStretch();
    if (failure) throw failure.error;
  }

  /** A write or the commit was refused: the stretch is lost, unless the error is a bug rather than the file's refusal. */
  private refused(error: unknown): void {
    // After a refusal, what SQLite says next in the stretch (a savepoint gone with a rolled-back transaction) is its consequence.
    if (this.state === 'failed' && sqliteCode(error) !== undefined) return;
    if (!isWriteRefusal(error)) throw error;
    this.state = 'failed';
    this.cause = error;
  }

  private endStretch(): WriteFailure | undefined {
    if (this.state === 'idle' || !this.db.open) return undefined;
    if (this.state === 'open') {
      try {
        this.end.run();
        this.state = 'idle';
        this.owners.clear();
        return undefined;
      } catch (error) {
        // Whatever SQLite says, a COMMIT that failed keeps none of the stretch.
        this.state = 'failed';
        this.cause = error;
      }
    }
    try {
      if (this.db.inTransaction) this.rollback.run();
    } catch {
      // SQLite rolls a transaction back itself after some errors; then there is nothing left to undo.
    }
    const failure: WriteFailure = { error: historyWriteError(this.db.name, this.cause), owners: new Set(this.owners) };
    for (const owner of this.owners) this.fenced.add(owner);
    this.state = 'idle';
    this.cause = undefined;
    this.owners.clear();
    for (const listener of this.listeners) {
      try {
        listener(failure);
      } catch (error) {
        console.error('photon: after a failed write:', error);
      }
    }
    return failure;
  }

  private endTurn(): void {
    this.announcing = false;
    // Written by a callback of the turn before (a listener that changed a step): committed before it is announced.
    this.endStretch();
    // Run whether or not it was kept: what they announce is read from the file, and what waits for them (a log's close, a run's end) must not wait for ever.
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
