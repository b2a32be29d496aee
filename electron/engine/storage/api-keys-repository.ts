import type { ApiKeyInfo } from '../../../shared/access.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/**
 * A key as stored: what anyone may see of it but its status (worked out when it is read), and its
 * secret only as a hash, with the salt it was hashed with.
 */
export interface ApiKeyRow extends Omit<ApiKeyInfo, 'status'> {
  salt: Buffer;
  hash: Buffer;
}

const columns = `id, name, prefix, salt, hash, scope, created_at AS createdAt, expires_at AS expiresAt, revoked_at AS revokedAt,
  last_used_at AS lastUsedAt, last_used_from AS lastUsedFrom`;

/** API keys as rows. Every read goes to the database, so a revocation by another process counts at once. */
export class ApiKeysRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  insert(row: Omit<ApiKeyRow, 'revokedAt' | 'lastUsedAt' | 'lastUsedFrom'>): void {
    this.statements
      .get(`INSERT INTO api_keys (id, name, prefix, salt, hash, scope, created_at, expires_at) VALUES (@id, @name, @prefix, @salt, @hash, @scope, @createdAt, @expiresAt)`)
      .run(row);
  }

  /** Active first (by name), then revoked ones, newest revocation first. */
  list(): ApiKeyRow[] {
    return this.statements.get(`SELECT ${columns} FROM api_keys ORDER BY revoked_at IS NOT NULL, revoked_at DESC, name`).all() as ApiKeyRow[];
  }

  byPrefix(prefix: string): ApiKeyRow | undefined {
    return this.statements.get(`SELECT ${columns} FROM api_keys WHERE prefix = ?`).get(prefix) as ApiKeyRow | undefined;
  }

  byId(id: string): ApiKeyRow | undefined {
    return this.statements.get(`SELECT ${columns} FROM api_keys WHERE id = ?`).get(id) as ApiKeyRow | undefined;
  }

  /** The active key with this name, if any (names are unique among active keys). */
  activeByName(name: string): ApiKeyRow | undefined {
    return this.statements.get(`SELECT ${columns} FROM api_keys WHERE name = ? AND revoked_at IS NULL`).get(name) as ApiKeyRow | undefined;
  }

  /** Whether this key was revoked now (false when it already was, or is unknown). */
  revoke(id: string, at: string): boolean {
    return this.statements.get(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(at, id).changes === 1;
  }

  /**
   * SQLite's `data_version`: it changes whenever another connection (another Photon process, or
   * another engine on this data folder) commits, never for this connection's own writes. What was
   * read from this table stays true while it holds, short of a change made through this repository.
   */
  othersChanges(): number {
    return this.statements.get('PRAGMA data_version').pluck().get() as number;
  }

  touch(id: string, at: string, from: string): void {
    this.statements.get(`UPDATE api_keys SET last_used_at = ?, last_used_from = ? WHERE id = ?`).run(at, from, id);
  }
}
