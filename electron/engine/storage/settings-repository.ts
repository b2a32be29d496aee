import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** The engine's settings a user changes in the app, by name, each a JSON value. */
export class SettingsRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  get<T>(name: string): T | undefined {
    const value = this.statements.get('SELECT value FROM engine_settings WHERE name = ?').pluck().get(name) as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  /** `undefined` removes the setting (back to its default). */
  set(name: string, value: unknown): void {
    if (value === undefined) {
      this.statements.get('DELETE FROM engine_settings WHERE name = ?').run(name);
      return;
    }
    this.statements
      .get(`INSERT INTO engine_settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
      .run(name, JSON.stringify(value), new Date().toISOString());
  }
}
