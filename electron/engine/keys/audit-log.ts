/**
 * The security audit log. Events that can come in floods (failed sign-ins from one address, a key's
 * requests, refusals by the rate limit) are folded: the first of a kind from one source in a
 * minute is written at once, the rest are counted and the count is written into that entry when
 * the minute ends, so a burst of thousands costs two writes and the log still says how many.
 * Retention keeps the log bounded by age and by size whatever comes in.
 */
import type { AuditEntry, AuditKind } from '../../../shared/access.js';
import type { AuditRecord, AuditRepository } from '../storage/index.js';

export interface AuditOptions {
  /** Entries older than this are removed; 90 days by default. */
  retentionMs?: number;
  /** At most this many entries are kept; 100,000 by default. */
  maxEntries?: number;
  /** How long repeats of one event are folded into its entry; a minute by default. */
  foldMs?: number;
  now?: () => Date;
}

/** What a caller records; `at` is the log's own clock. */
export type AuditEvent = Omit<AuditRecord, 'at' | 'keyId' | 'keyName' | 'keyPrefix' | 'scope' | 'address' | 'target'> &
  Partial<Pick<AuditRecord, 'keyId' | 'keyName' | 'keyPrefix' | 'scope' | 'address' | 'target'>>;

/** Kinds folded per source; the others (a key made or revoked) are each written as they happen. */
const foldedKinds: ReadonlySet<AuditKind> = new Set(['auth.failed', 'key.used', 'scope.refused', 'rate.limited', 'host.refused', 'origin.refused']);
const trimEvery = 500;

interface Fold {
  id: number;
  detail: string;
  repeats: number;
  timer: NodeJS.Timeout;
}

export class AuditLog {
  private readonly folds = new Map<string, Fold>();
  private readonly retentionMs: number;
  private readonly maxEntries: number;
  private readonly foldMs: number;
  private readonly now: () => Date;
  private sinceTrim = 0;

  constructor(
    private readonly repo: AuditRepository,
    options: AuditOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? 90 * 86_400_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.foldMs = options.foldMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
    this.trim();
  }

  record(event: AuditEvent): void {
    const entry: AuditRecord = {
      at: this.now().toISOString(),
      kind: event.kind,
      keyId: event.keyId ?? null,
      keyName: event.keyName ?? null,
      keyPrefix: event.keyPrefix ?? null,
      scope: event.scope ?? null,
      address: event.address ?? null,
      target: event.target ?? null,
      detail: event.detail,
    };
    if (!foldedKinds.has(entry.kind)) {
      this.append(entry);
      return;
    }
    // One source: the same kind, address, key and reason; the target varies within a burst, except
    // that each method a key was refused is a fact of its own.
    const target = entry.kind === 'scope.refused' ? entry.target : null;
    const source = JSON.stringify([entry.kind, entry.address, entry.keyId, entry.keyPrefix, entry.scope, entry.detail, target]);
    const fold = this.folds.get(source);
    if (fold) {
      fold.repeats += 1;
      return;
    }
    const id = this.append(entry);
    const timer = setTimeout(() => this.closeFold(source), this.foldMs);
    timer.unref();
    this.folds.set(source, { id, detail: entry.detail, repeats: 0, timer });
  }

  list(query: { since?: string; kinds?: readonly AuditKind[]; before?: number; limit?: number } = {}): AuditEntry[] {
    this.flush();
    return this.repo.list({ ...query, limit: query.limit ?? 1000 });
  }

  /** Writes every pending count now (before a read, and when the engine closes). */
  flush(): void {
    for (const source of [...this.folds.keys()]) this.closeFold(source);
  }

  close(): void {
    this.flush();
  }

  private closeFold(source: string): void {
    const fold = this.folds.get(source);
    if (!fold) return;
    clearTimeout(fold.timer);
    this.folds.delete(source);
    if (fold.repeats > 0) this.repo.setDetail(fold.id, `${fold.detail} (${fold.repeats + 1} times within ${Math.round(this.foldMs / 1000)} s)`);
  }

  private append(entry: AuditRecord): number {
    const id = this.repo.append(entry);
    if (++this.sinceTrim >= trimEvery) this.trim();
    return id;
  }

  private trim(): void {
    this.sinceTrim = 0;
    this.repo.trim(new Date(this.now().getTime() - this.retentionMs).toISOString(), this.maxEntries);
  }
}
