/** The figures budgets are judged by: the local day a daily cap counts, the limits after Approves, and the words. */
import { afterEach, describe, expect, it } from 'vitest';
import { describeSpend, grantedLimits, localDay, reached } from '../../../electron/engine/runs/budget-scopes.js';

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe("a daily cap's day", () => {
  it("is this machine's day, not UTC's: late evening in New York is still that day", () => {
    process.env.TZ = 'America/New_York';
    expect(localDay(new Date('2026-12-06T03:00:00Z'))).toEqual({ name: '2026-12-05', from: '2026-12-05T05:00:00.000Z', to: '2026-12-06T05:00:00.000Z' });
  });

  it('lasts 23 hours on the day the clocks go forward', () => {
    process.env.TZ = 'America/New_York';
    expect(localDay(new Date('2026-03-08T12:00:00Z'))).toEqual({ name: '2026-03-08', from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' });
  });
});

describe('a budget after Approves', () => {
  it('allows another budget’s worth per Approve, for each limit it has', () => {
    expect(grantedLimits({ costUsd: 5, tokens: 1000 }, 2)).toEqual({ costUsd: 15, tokens: 3000 });
    expect(grantedLimits({ tokens: 1000 }, 0)).toEqual({ tokens: 1000 });
  });

  it('is reached when either limit is, and says so for each', () => {
    expect(reached({ costUsd: 4.99, tokens: 1000 }, { costUsd: 5, tokens: 1000 })).toBe(true);
    expect(reached({ costUsd: 4.99, tokens: 999 }, { costUsd: 5, tokens: 1000 })).toBe(false);
    expect(describeSpend({ costUsd: 5.5, tokens: 1200 }, { costUsd: 5, tokens: 1000 })).toBe('$5.50 of $5.00 spent, 1,200 of 1,000 tokens used');
  });
});
