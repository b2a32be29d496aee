/**
 * Pages of run summaries kept while the database has not changed, so a list polled by many clients
 * (dashboards, CI jobs, GET /api/v1/operations a thousand times a second) is read once per change
 * instead of once per request. Whether it changed is SQLite's own count, never an event someone
 * must remember to send: `total_changes()` counts every row this connection inserted, updated or
 * deleted, in any table (reads on this connection see those writes, committed or not), and
 * `data_version` moves when another connection commits (another Photon process on the same data
 * folder, the CLI). So a page is never older than the database, and any write costs the next list
 * its cache, nothing more. While a page holds, the same frozen array comes back, so a caller may
 * keep what it derived from it (the REST API keeps the page serialized).
 */
import type { RunSummary } from '../../../shared/runs.js';
import type { StatementCache } from './statement-cache.js';

/** Distinct queries kept per change; the oldest goes first. */
const maxPages = 64;

interface Pages {
  version: string;
  pages: Map<string, RunSummary[]>;
}

/** Keyed by the repository's statement cache, which stands for its connection. */
const byConnection = new WeakMap<StatementCache, Pages>();

const versionSql = 'SELECT total_changes() AS own, data_version AS others FROM pragma_data_version';

/** The page `key` names, from the cache while nothing changed since it was read, else from `read`. */
export function cachedPage(statements: StatementCache, key: string, read: () => RunSummary[]): RunSummary[] {
  const { own, others } = statements.get(versionSql).get() as { own: number; others: number };
  const version = `${own}:${others}`;
  let cache = byConnection.get(statements);
  if (cache?.version !== version) byConnection.set(statements, (cache = { version, pages: new Map() }));
  let page = cache.pages.get(key);
  if (!page) {
    page = frozen(read());
    if (cache.pages.size >= maxPages) cache.pages.delete(cache.pages.keys().next().value!);
    cache.pages.set(key, page);
  }
  return page;
}

/** Shared by every caller from now on: a change to it would be a change to the others' answers. */
function frozen(page: RunSummary[]): RunSummary[] {
  for (const summary of page) {
    Object.freeze(summary.counts);
    if (summary.parent) Object.freeze(summary.parent);
    if (summary.trigger) Object.freeze(summary.trigger);
    Object.freeze(summary);
  }
  return Object.freeze(page) as RunSummary[];
}
