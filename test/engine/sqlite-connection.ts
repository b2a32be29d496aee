import Database from 'better-sqlite3';
import { vi } from 'vitest';

/**
 * The engine's own connection to its database `file`, caught as `read` makes it run a statement:
 * a pragma (max_page_count, busy_timeout) holds for one connection, so a test that makes the file
 * refuse writes sets it on the engine's.
 */
export async function connectionOf(file: string, read: () => unknown): Promise<Database.Database> {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'get' | 'all', (...args: unknown[]) => unknown>;
  const originals = { get: statement.get, all: statement.all };
  let found: Database.Database | undefined;
  for (const name of ['get', 'all'] as const) {
    statement[name] = function (this: { database: Database.Database }, ...args: unknown[]) {
      if (this.database.name === file) found = this.database;
      return originals[name].apply(this, args);
    };
  }
  try {
    await read();
  } finally {
    Object.assign(statement, originals);
  }
  if (!found) throw new Error(`nothing was read from ${file}`);
  return found;
}

/** Another program's connection to the database, able to hold its write lock past the engine's busy timeout. */
export interface LockingConnection {
  database: Database.Database;
  /** Takes the write lock (BEGIN IMMEDIATE): the engine's writes are refused while it is held. */
  hold(): void;
  release(): void;
  close(): void;
}

/**
 * A second real connection to `file`, as another Photon or a tool with the file open would have.
 * The engine's own connection (caught as `read` runs) waits 50 ms for a held lock instead of its
 * 5 s, so a refusal comes while the test holds the lock rather than after it.
 */
export async function lockingConnection(file: string, read: () => unknown): Promise<LockingConnection> {
  (await connectionOf(file, read)).pragma('busy_timeout = 50');
  const database = new Database(file);
  return {
    database,
    hold: () => void database.prepare('BEGIN IMMEDIATE').run(),
    release: () => void database.prepare('ROLLBACK').run(),
    close: () => database.close(),
  };
}

/** What a run or request refused for a lock held too long says, ending with what to do next. */
export function heldLockMessage(file: string, then: string): string {
  return `cannot write Photon's history at ${file}: database is locked; another program held its write lock too long (another Photon on the same data folder, or a tool with the file open); close it and ${then}`;
}

/**
 * Holds the write lock while `end` lets a step end, so that neither its end nor its run's can be
 * written, and lets go (closing the connection) once `stopped` has said how the run stopped.
 */
export async function endWhileLocked(lock: LockingConnection, end: () => void, stopped: () => Promise<string>): Promise<string> {
  try {
    lock.hold();
    end();
    const status = await stopped();
    lock.release();
    return status;
  } finally {
    lock.close();
  }
}

/**
 * Holds `locking`'s write lock exactly while the first call of `method` on `prototype` runs, so
 * SQLite refuses that write, and only that one, as it would with another program holding the lock
 * then. Returns the refusals seen (the caller restores the spy: vi.restoreAllMocks).
 */
export function refuseFirstCall<T extends object, K extends keyof T & string>(locking: LockingConnection, prototype: T, method: K): unknown[] {
  const original = prototype[method] as (...args: unknown[]) => unknown;
  const refused: unknown[] = [];
  let called = false;
  vi.spyOn(prototype, method as never).mockImplementation(function (this: unknown, ...args: unknown[]) {
    if (called) return original.apply(this, args);
    called = true;
    locking.hold();
    try {
      return original.apply(this, args);
    } catch (error) {
      refused.push(error);
      throw error;
    } finally {
      locking.release();
    }
  } as never);
  return refused;
}
