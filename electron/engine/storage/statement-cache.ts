import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

/**
 * Each SQL text prepared once. Preparing is most of a small statement's cost, and the executor
 * and the sampler write many times a second.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: SqliteDatabase) {}

  get(text: string): Statement<unknown[]> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
