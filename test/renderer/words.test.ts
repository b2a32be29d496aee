import { describe, expect, it } from 'vitest';
import { withArticle } from '../../renderer/lib/words.js';

describe('the article before a name', () => {
  it('says "an" before a vowel and "a" otherwise', () => {
    expect(withArticle('Antigravity')).toBe('an Antigravity');
    expect(withArticle('Aider')).toBe('an Aider');
    expect(withArticle('Shell')).toBe('a Shell');
    expect(withArticle('Claude Code')).toBe('a Claude Code');
  });

});
