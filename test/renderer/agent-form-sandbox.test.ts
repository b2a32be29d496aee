/** The agent form's Sandbox choice: what it saves, and that a saved agent's sandbox survives an edit. */
import { describe, expect, it } from 'vitest';
import { agentSchema } from '../../shared/agents.js';
import { checkDraft, draftFromAgent, emptyDraft } from '../../renderer/agents/agent-form.js';

const base = { id: 'builder', name: 'Builder', tool: 'shell' };

describe("the agent form's sandbox", () => {
  it('saves no sandbox when off, which a new agent is', () => {
    const check = checkDraft({ ...emptyDraft('shell'), ...base });
    expect(check.ok && check.agent.sandbox).toBe(undefined);
  });

  it('saves the sandbox chosen: on without network, or with it', () => {
    const off = checkDraft({ ...emptyDraft('shell'), ...base, sandbox: 'no-network' });
    expect(off.ok && off.agent.sandbox).toEqual({ network: false, write: ['worktree'] });
    const on = checkDraft({ ...emptyDraft('shell'), ...base, sandbox: 'network' });
    expect(on.ok && on.agent.sandbox).toEqual({ network: true, write: ['worktree'] });
  });

  it("round-trips a saved agent's sandbox through the form, its write list included", () => {
    const agent = agentSchema.parse({ ...base, sandbox: { network: true, write: ['worktree', '~/.cache/pip'] } });
    const draft = draftFromAgent(agent);
    expect(draft.sandbox).toBe('network');
    expect(checkDraft(draft)).toEqual({ ok: true, errors: {}, agent });
    const turnedOff = checkDraft({ ...draft, sandbox: 'off' });
    expect(turnedOff.ok && turnedOff.agent.sandbox).toBe(undefined);
  });
});
