import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRatePolicy } from '../../../electron/server/auth/rate-limiter.js';

describe('the token bucket', () => {
  it('lets a burst up to the limit through, refuses the next with when to retry, and earns requests back evenly', () => {
    let clock = 1_000_000;
    const limiter = createRateLimiter('key', { limit: 60, windowSeconds: 60 }, { now: () => clock });
    const first = limiter.take('ci');
    expect(first).toMatchObject({ allowed: true, remaining: 59 });
    expect(first.headers).toEqual({ 'RateLimit-Policy': '"key";q=60;w=60', RateLimit: '"key";r=59;t=1' });
    for (let i = 0; i < 59; i++) expect(limiter.take('ci').allowed).toBe(true);

    const refused = limiter.take('ci');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(refused.headers).toMatchObject({ 'Retry-After': '1', RateLimit: '"key";r=0;t=60' });
    // Another client has its own bucket.
    expect(limiter.take('phone').allowed).toBe(true);

    clock += 1000; // one request a second comes back
    expect(limiter.take('ci').allowed).toBe(true);
    expect(limiter.take('ci').allowed).toBe(false);
    clock += 60_000;
    expect(limiter.take('ci')).toMatchObject({ allowed: true, remaining: 59 });
  });

  it('says how long to wait when the window is long', () => {
    let clock = 0;
    const limiter = createRateLimiter('address', { limit: 2, windowSeconds: 3600 }, { now: () => clock });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1800 });
    clock += 1_799_000;
    expect(limiter.take('a').allowed).toBe(false);
    clock += 1000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('holds a bounded number of clients, forgetting full buckets first', () => {
    let clock = 0;
    const limiter = createRateLimiter('address', { limit: 10, windowSeconds: 1 }, { now: () => clock, maxClients: 100 });
    for (let i = 0; i < 100; i++) limiter.take(`10.0.0.${i}`);
    clock += 2000;
    for (let i = 0; i < 1000; i++) limiter.take(`10.1.${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe('rate policies as a user writes them', () => {
  it('reads N/s, N/min, N/h and off, and names the form when the text is wrong', () => {
    expect(parseRatePolicy('600/min', '--key-rate')).toEqual({ limit: 600, windowSeconds: 60 });
    expect(parseRatePolicy('20/s', '--key-rate')).toEqual({ limit: 20, windowSeconds: 1 });
    expect(parseRatePolicy(' 5000 / h ', '--key-rate')).toEqual({ limit: 5000, windowSeconds: 3600 });
    expect(parseRatePolicy('off', '--key-rate')).toBeNull();
    expect(() => parseRatePolicy('fast', '--key-rate')).toThrow('--key-rate: "fast" is not a rate; write requests per window, such as 600/min, 20/s or 5000/h, or off');
    expect(() => parseRatePolicy('0/s', '--key-rate')).toThrow(/not a rate/);
    expect(() => parseRatePolicy('10/fortnight', '--key-rate')).toThrow(/not a rate/);
  });
});
