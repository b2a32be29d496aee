import Database from 'better-sqlite3';

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
