/**
 * A new database's switch to WAL goes through a rollback journal, which SQLite flushes to the disk
 * four times in its default synchronous mode: on a busy disk most of the time a first `photon run`
 * spent opening its storage (issue 17). A new, empty database is switched unsynced; an existing one
 * never is, and every database is left in WAL mode with synchronous NORMAL.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, schemaVersion, migrations, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

let root = '';
const open: SqliteDatabase[] = [];

beforeEach(() => {
  root = makeTempDir('new-database');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) if (db.open) db.close();
  removeDir(root);
});

/** Opens `file` as the engine does, returning the pragmas it set up to its switch to WAL (included). */
function openRecording(file: string): { db: SqliteDatabase; untilWal: string[] } {
  const pragma = vi.spyOn(Database.prototype, 'pragma');
  const db = openDatabase(file);
  open.push(db);
  const sources = pragma.mock.calls.map(([source]) => source);
  pragma.mockRestore();
  return { db, untilWal: sources.slice(0, sources.indexOf('journal_mode = WAL') + 1) };
}

describe('opening the database', () => {
  it('switches a new database to WAL with syncing off, then syncs as every database does', () => {
    const { db, untilWal } = openRecording(join(root, 'photon.db'));
    expect(untilWal).toContain('synchronous = OFF');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 1: NORMAL.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
  });

  it('never turns syncing off for a database that exists', () => {
    const file = join(root, 'photon.db');
    openDatabase(file).close();
    const { db, untilWal } = openRecording(file);
    expect(untilWal).not.toContain('synchronous = OFF');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });
});
