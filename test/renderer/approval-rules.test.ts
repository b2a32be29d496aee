import { describe, expect, it } from 'vitest';
import { moveRule, ruleWords, shadowedRules, triState, triStateOf, withMatch } from '../../renderer/approvals/rule-words.js';
import { suggestedRules } from '../../shared/approvals.js';

describe('the rules editor', () => {
  it('says each suggested rule in one line', () => {
    expect(suggestedRules.map(ruleWords)).toEqual([
      'Deny every request that reaches the network',
      'Allow read, search, think',
      "Allow edit, delete, move inside the step's folder",
      'Ask execute',
    ]);
    expect(ruleWords({ match: { kinds: ['execute'], commandPrefix: 'npm test' }, action: 'allow' })).toBe('Allow execute starting with “npm test”');
  });

  it('moves a rule up and down within the list, never past its ends', () => {
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(['a', 'b', 'c'], 1, 5)).toEqual(['a', 'c', 'b']);
  });

  it('drops a condition left empty instead of storing one that matches nothing', () => {
    expect(withMatch({ kinds: ['read'], commandPrefix: 'x' }, 'commandPrefix', '')).toEqual({ kinds: ['read'] });
    expect(withMatch({ kinds: ['read'] }, 'kinds', [])).toEqual({});
    expect(withMatch({}, 'network', triState('no'))).toEqual({ network: false });
    expect(withMatch({ network: true }, 'network', triState('any'))).toEqual({});
    expect(triStateOf(undefined)).toBe('any');
  });

  it('warns of a rule that can never decide: one after the same match, or after a catch-all', () => {
    expect([...shadowedRules([{ match: { kinds: ['read'] }, action: 'allow' }, { match: { kinds: ['read'] }, action: 'deny' }])]).toEqual([1]);
    expect([...shadowedRules([{ match: {}, action: 'ask' }, { match: { network: true }, action: 'deny' }])]).toEqual([1]);
    expect(shadowedRules(suggestedRules).size).toBe(0);
  });
});
