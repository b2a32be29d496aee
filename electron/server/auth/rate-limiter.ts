/**
 * Token buckets: each client (a key, an address) holds up to `limit` requests and earns them back
 * evenly over `windowSeconds`, so a burst up to the limit passes and a steady rate of limit/window
 * keeps passing. Answers carry the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Policy: "name";q=LIMIT;w=WINDOW` and `RateLimit: "name";r=REMAINING;t=SECONDS`, where
 * t is when the bucket is full again; a refusal adds `Retry-After`, when the next request passes.
 */
import { parseRate, rateForm, type RatePolicy } from '../../../shared/rate-text.js';

export type { RatePolicy };

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Whole seconds until the next request would pass; 0 when allowed. */
  retryAfterSeconds: number;
  /** RateLimit-Policy, RateLimit and, when refused, Retry-After. */
  headers: Record<string, string>;
}

export interface RateLimiter {
  readonly name: string;
  readonly policy: RatePolicy;
  take(client: string): RateDecision;
  /** What `take` would answer, without spending a request: for a bucket spent only on failures. */
  peek(client: string): RateDecision;
  /** Buckets currently held (full ones are dropped). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(name: string, policy: RatePolicy, options: { now?: () => number; maxClients?: number } = {}): RateLimiter {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const maxClients = options.maxClients ?? 100_000;
  const perMs = policy.limit / (policy.windowSeconds * 1000);
  const buckets = new Map<string, Bucket>();
  const policyHeader = `"${name}";q=${policy.limit};w=${policy.windowSeconds}`;

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(policy.limit, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
  };

  /** A full bucket is the same as none: forget those first, then the longest idle, to stay bounded. */
  const makeRoom = (at: number) => {
    for (const [client, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= policy.limit) buckets.delete(client);
    }
    while (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
  };

  return {
    name,
    policy,
    get size() {
      return buckets.size;
    },
    take: (client) => decide(client, true),
    peek: (client) => decide(client, false),
  };

  function decide(client: string, spend: boolean): RateDecision {
    const at = now();
    let bucket = buckets.get(client);
    if (bucket) {
      refill(bucket, at);
    } else {
      if (!spend) return decision(true, { tokens: policy.limit, at });
      if (buckets.size >= maxClients) makeRoom(at);
      bucket = { tokens: policy.limit, at };
      buckets.set(client, bucket);
    }
    // A whole token earned in floating point may come out a hair short of 1.
    const allowed = bucket.tokens >= 1 - 1e-9;
    if (allowed && spend) bucket.tokens = Math.max(0, bucket.tokens - 1);
    return decision(allowed, bucket);
  }

  function decision(allowed: boolean, bucket: Bucket): RateDecision {
    const remaining = Math.floor(bucket.tokens);
    const untilFull = wholeSeconds((policy.limit - bucket.tokens) / perMs);
    const headers: Record<string, string> = { 'RateLimit-Policy': policyHeader, RateLimit: `"${name}";r=${remaining};t=${untilFull}` };
    let retryAfterSeconds = 0;
    if (!allowed) {
      retryAfterSeconds = Math.max(1, wholeSeconds((1 - bucket.tokens) / perMs));
      headers['Retry-After'] = String(retryAfterSeconds);
    }
    return { allowed, remaining, retryAfterSeconds, headers };
  }
}

/** Rounded up, but not past a float's crumbs (1800.0000001 s is 1800). */
function wholeSeconds(ms: number): number {
  return Math.ceil(Math.round(ms) / 1000);
}

/**
 * `600/min`, `20/s`, `5000/h`: that many requests, earned back over that window; `off` for none.
 * Throws an Error naming the form when the text is neither.
 */
export function parseRatePolicy(text: string, place: string): RatePolicy | null {
  const policy = parseRate(text);
  if (policy === undefined) throw new Error(`${place}: "${text}" is not a rate; write ${rateForm}`);
  return policy;
}
