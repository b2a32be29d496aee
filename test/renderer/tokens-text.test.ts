import { describe, expect, it } from 'vitest';
import { tokensText } from '../../renderer/dashboard/tokens-text.js';

describe('tokens as the run page and the timeline show them', () => {
  it('says the cached ones apart: read from and written to the prompt cache', () => {
    expect(tokensText({ input: 2250, output: 350, cacheRead: 800, cacheWrite: 100 })).toBe('2.3k in (800 from cache, 100 to cache), 350 out');
    expect(tokensText({ input: 2400, output: 310, cacheRead: 1024, cacheWrite: null })).toBe('2.4k in (1.0k from cache), 310 out');
  });

  it('says nothing of a cache the tool did not use or report', () => {
    expect(tokensText({ input: 1500, output: 200, cacheRead: 0, cacheWrite: null })).toBe('1.5k in, 200 out');
  });
});
