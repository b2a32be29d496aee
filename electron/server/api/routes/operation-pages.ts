/**
 * A page of operations as the API sends it, serialized once per page the engine reads. `runs.list`
 * gives back the same frozen array while the database is unchanged (storage/run-page-cache.ts), so
 * a list polled many times a second is written to JSON, and hashed for its ETag, once per change of
 * the runs rather than per request; a new array from the engine is always serialized afresh, so
 * nothing sent is older than what the engine read.
 */
import { createHash } from 'node:crypto';
import type { RunSummary } from '../../../../shared/runs.js';
import { toOperationSummary } from './operation-view.js';

export interface SerializedPage {
  /** `data` of the envelope: `{ operations, nextOffset }` as JSON. */
  json: string;
  /** A weak validator: the envelope around the same data differs in its request id and times. */
  etag: string;
}

const pages = new WeakMap<readonly RunSummary[], SerializedPage & { limit: number; offset: number }>();

/** `runs` is what runs.list gave for `limit + 1` runs from `offset`: one more says a next page exists. */
export function serializedPage(runs: readonly RunSummary[], limit: number, offset: number): SerializedPage {
  const known = pages.get(runs);
  if (known && known.limit === limit && known.offset === offset) return known;
  const data = { operations: runs.slice(0, limit).map(toOperationSummary), nextOffset: runs.length > limit ? offset + limit : null };
  const json = JSON.stringify(data);
  const page = { json, etag: `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`, limit, offset };
  pages.set(runs, page);
  return page;
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET), or is `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}
