import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import { makePrivateFile, narrowIfOpen, privateFileMode } from '../paths/index.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * Path of a better-sqlite3 binary built for the running runtime. Electron's ABI differs from
   * Node's, so the desktop app passes its own build and tests use the default.
   */
  nativeBinding?: string;
  /** Apply only migrations up to this version (tests of a migration start from the one before). */
  targetVersion?: number;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  // The data folder holds run output that may be private: readable by its owner alone.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // SQLite would create the file 0644, and gives its -wal and -shm the database file's mode: made
  // 0600 first, all three stay private whatever the folder's mode. An older Photon's are narrowed.
  makePrivateFile(file);
  for (const companion of [`${file}-wal`, `${file}-shm`]) narrowIfOpen(companion, privateFileMode);
  const db = new Database(file, { nativeBinding: options.nativeBinding ?? installedBinding() });
  // A new database is switched to WAL through a rollback journal, which SQLite's default FULL
  // synchronous mode flushes to the disk four times (journal, folder, journal, database): under
  // other disk traffic that took 90 ms of a first `photon run` here (strace -T), for a file that
  // holds nothing yet. Unsynced, an OS crash in that instant can only spoil an empty database; an
  // existing one (already WAL, or an older file being switched) is switched as before.
  const empty = db.pragma('page_count', { simple: true }) === 0;
  if (empty) db.pragma('synchronous = OFF');
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, allMigrations, options.targetVersion);
  return db;
}

/**
 * better-sqlite3's native module where `npm install` puts it, given to it by path. Left to find it,
 * better-sqlite3 asks the `bindings` package, which tries a dozen places through require() (about
 * 3 ms of every start), and from the command line's bundle, which holds better-sqlite3's JavaScript
 * (scripts/build-cli.js), would search beside the bundle. A build elsewhere (a Debug one) is found
 * by `bindings` searching from better-sqlite3's own folder, and given as the module itself.
 */
function installedBinding(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    const packageFile = require.resolve('better-sqlite3/package.json');
    const bindings = createRequire(packageFile)('bindings') as (options: { bindings: string; module_root: string }) => object;
    // better-sqlite3 takes the module itself as well as its path (its types know only the path).
    return bindings({ bindings: 'better_sqlite3.node', module_root: dirname(packageFile) }) as unknown as string;
  }
}

export function migrate(db: SqliteDatabase, migrations: readonly Migration[], targetVersion?: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new PhotonError(
      'conflict',
      `the database was written by a newer Photon (schema ${current}, this version knows ${latest}); update Photon or use another --data-dir`,
    );
  }
  const pending = (from: number) => migrations.filter((m) => m.version > from && (targetVersion === undefined || m.version <= targetVersion));
  if (pending(current).length === 0) return;
  // All of them in one transaction: a new database's 17 committed one by one cost about twice the
  // CPU (about 10.5 ms against 5.5 to 8, medians of 7 here), and a failing one now leaves the database as
  // it was rather than half upgraded. The version is read again under the write lock: another
  // process may have upgraded the file meanwhile.
  db.transaction(() => {
    for (const migration of pending(db.pragma('user_version', { simple: true }) as number)) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}
