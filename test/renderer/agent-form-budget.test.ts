/** The agent form's budget, daily cap and what happens past them: what it saves, what it refuses where, a saved agent's round trip, and its panel's words. */
import { describe, expect, it } from 'vitest';
import { agentSchema } from '../../shared/agents.js';
import { checkDraft, draftFromAgent, emptyDraft, errorsFromRefusal } from '../../renderer/agents/agent-form.js';
import { budgetWords } from '../../renderer/agents/agent-format.js';

const base = { ...emptyDraft('claude-code'), id: 'reviewer', name: 'Reviewer' };

describe("the agent form's budget", () => {
  it('saves no budget and no cap when the fields are empty', () => {
    const check = checkDraft({ ...base, onExceed: 'fail' });
    expect(check.ok && [check.agent.budget, check.agent.dailyCapUsd]).toEqual([undefined, undefined]);
  });

  it('saves what is typed: a budget per run in USD and tokens, a daily cap, and "fail" past them', () => {
    const check = checkDraft({ ...base, budgetUsd: '2.5', budgetTokens: '500000', dailyCapUsd: '10', onExceed: 'fail' });
    expect(check.ok && check.agent).toMatchObject({ budget: { costUsd: 2.5, tokens: 500000, onExceed: 'fail' }, dailyCapUsd: 10 });
    // A cap alone keeps "fail" too: it applies to the cap.
    const capOnly = checkDraft({ ...base, dailyCapUsd: '3', onExceed: 'fail' });
    expect(capOnly.ok && capOnly.agent).toMatchObject({ budget: { onExceed: 'fail' }, dailyCapUsd: 3 });
  });

  it('puts a bad amount on its own field', () => {
    const check = checkDraft({ ...base, budgetUsd: '0', budgetTokens: '1.5', dailyCapUsd: '-1' });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual({
      budgetUsd: 'an amount in USD above 0, or empty for none',
      budgetTokens: 'a whole number of tokens above 0, or empty for none',
      dailyCapUsd: 'an amount in USD above 0, or empty for none',
    });
    expect(errorsFromRefusal(base, { issues: [{ path: 'agent.budget.tokens', message: 'too many' }] })).toEqual({ budgetTokens: 'too many' });
  });

  it("round-trips a saved agent's budget and cap through the form", () => {
    const agent = agentSchema.parse({ id: 'reviewer', name: 'Reviewer', tool: 'claude-code', budget: { costUsd: 1, onExceed: 'fail' }, dailyCapUsd: 4 });
    const draft = draftFromAgent(agent);
    expect(draft).toMatchObject({ budgetUsd: '1', budgetTokens: '', dailyCapUsd: '4', onExceed: 'fail' });
    expect(checkDraft(draft)).toEqual({ ok: true, errors: {}, agent });
  });
});

describe("an agent's budget on its panel", () => {
  it('says each limit and what happens past them, or nothing without one', () => {
    expect(budgetWords({ budget: { costUsd: 2, tokens: 500000 }, dailyCapUsd: 10 })).toBe('$2.00 a run, 500,000 tokens a run, $10.00 a day, then asks');
    expect(budgetWords({ budget: { onExceed: 'fail' }, dailyCapUsd: 0.5 })).toBe('$0.50 a day, then fails');
    expect(budgetWords({})).toBeNull();
  });
});
