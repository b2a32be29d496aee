/**
 * The migrations an upgrade applies run in one transaction: a new database's whole schema is
 * committed once (issue 17: committing each of them was about half of the CPU of making it), and
 * an upgrade that fails part way leaves the database at the version it had.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrate, migrations, openDatabase, schemaVersion, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

let root = '';
const open: SqliteDatabase[] = [];

beforeEach(() => {
  root = makeTempDir('migrate-at-once');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) if (db.open) db.close();
  removeDir(root);
});

describe('migrations', () => {
  it('make a new database in one transaction', () => {
    const transaction = vi.spyOn(Database.prototype, 'transaction');
    const db = openDatabase(join(root, 'photon.db'));
    open.push(db);
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
  });

  it('that fail part way leave the database as it was', () => {
    const db = new Database(join(root, 'plain.db'));
    open.push(db);
    const steps = [
      { version: 1, name: 'first', up: 'CREATE TABLE first (id INTEGER PRIMARY KEY);' },
      { version: 2, name: 'broken', up: 'CREATE TABLE second (id INTEGER PRIMARY KEY); INSERT INTO missing VALUES (1);' },
    ];
    expect(() => migrate(db, steps)).toThrow(/missing/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
  });

  it('open a database that is up to date without a transaction', () => {
    openDatabase(join(root, 'photon.db')).close();
    const transaction = vi.spyOn(Database.prototype, 'transaction');
    const db = openDatabase(join(root, 'photon.db'));
    open.push(db);
    expect(transaction).not.toHaveBeenCalled();
  });
});
