import type { AuditEntry, AuditKind } from '../../../shared/access.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

export type AuditRecord = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  since?: string;
  kinds?: readonly AuditKind[];
  before?: number;
  limit: number;
}

const columns = `id, at, kind, key_id AS keyId, key_name AS keyName, key_prefix AS keyPrefix, scope, address, target, detail`;

/** The audit log as rows: appended, read newest first, and trimmed to its retention. */
export class AuditRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  append(entry: AuditRecord): number {
    const result = this.statements
      .get(
        `INSERT INTO audit_log (at, kind, key_id, key_name, key_prefix, scope, address, target, detail)
         VALUES (@at, @kind, @keyId, @keyName, @keyPrefix, @scope, @address, @target, @detail)`,
      )
      .run(entry);
    return Number(result.lastInsertRowid);
  }

  list(query: AuditQuery): AuditEntry[] {
    return this.statements
      .get(
        `SELECT ${columns} FROM audit_log
         WHERE (@since IS NULL OR at >= @since)
           AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
           AND (@before IS NULL OR id < @before)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        since: query.since ?? null,
        kinds: query.kinds ? JSON.stringify(query.kinds) : null,
        before: query.before ?? null,
        limit: query.limit,
      }) as AuditEntry[];
  }

  setDetail(id: number, detail: string): void {
    this.statements.get('UPDATE audit_log SET detail = ? WHERE id = ?').run(detail, id);
  }

  /** Removes entries older than `olderThan` and all but the newest `keep`; returns how many went. */
  trim(olderThan: string, keep: number): number {
    const byAge = this.statements.get(`DELETE FROM audit_log WHERE at < ?`).run(olderThan).changes;
    const byCount = this.statements.get(`DELETE FROM audit_log WHERE id <= (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)`).run(keep).changes;
    return byAge + byCount;
  }

  count(): number {
    return this.statements.get('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
  }
}
