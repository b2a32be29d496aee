import { describe, expect, it } from 'vitest';
import { agentSchema } from '../../shared/agents.js';
import {
  agentInputFromDraft,
  checkDraft,
  draftFromAgent,
  emptyDraft,
  errorsFromRefusal,
  idFromName,
  withCapabilities,
  type AgentDraft,
} from '../../renderer/agents/agent-form.js';

function draft(patch: Partial<AgentDraft> = {}): AgentDraft {
  return { ...emptyDraft('claude-code'), id: 'reviewer', name: 'Code reviewer', ...patch };
}

describe('the agent form', () => {
  it('turns a filled-in form into the agent the engine stores, leaving out blank rows', () => {
    const check = checkDraft(
      draft({
        model: ' claude-sonnet-4-5 ',
        cwd: '/home/ada/project',
        capabilities: ['code-review', 'tests'],
        autonomy: 'auto-edit',
        env: [
          { key: 'CLAUDE_CODE_MAX_OUTPUT_TOKENS', value: '8000' },
          { key: '', value: '' },
        ],
        secrets: [
          { secret: '', variable: '' },
          { secret: 'anthropic-work', variable: 'ANTHROPIC_API_KEY' },
        ],
        maxConcurrentSteps: '2',
      }),
    );
    expect(check).toEqual({
      ok: true,
      errors: {},
      agent: {
        id: 'reviewer',
        name: 'Code reviewer',
        tool: 'claude-code',
        model: 'claude-sonnet-4-5',
        cwd: '/home/ada/project',
        capabilities: ['code-review', 'tests'],
        location: 'local',
        autonomy: 'auto-edit',
        env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: '8000' },
        secrets: [{ secret: 'anthropic-work', variable: 'ANTHROPIC_API_KEY' }],
        maxConcurrentSteps: 2,
      },
    });
  });

  it('round-trips a saved agent through the form unchanged', () => {
    const agent = agentSchema.parse({
      id: 'codex-1',
      name: 'Codex',
      tool: 'codex',
      model: 'gpt-5-codex',
      env: { A: '1', B: '' },
      secrets: [{ secret: 'OPENAI_API_KEY', variable: 'OPENAI_API_KEY' }],
      maxConcurrentSteps: 3,
    });
    expect(checkDraft(draftFromAgent(agent))).toEqual({ ok: true, errors: {}, agent });
  });

  it('names each wrong field with a message meant for a person', () => {
    const check = checkDraft(
      draft({
        id: 'has space',
        name: '   ',
        tool: '',
        env: [
          { key: 'OK', value: '1' },
          { key: 'BAD KEY', value: 'x' },
        ],
        secrets: [{ secret: 'anthropic', variable: '' }],
        maxConcurrentSteps: '0',
      }),
    );
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual({
      id: 'use letters, digits, dot, dash or underscore (up to 64)',
      name: 'Give the agent a name.',
      tool: 'Pick a tool.',
      'env.1.key': 'the name must be an environment variable name (letters, digits, _)',
      'secrets.0.variable': 'must be an environment variable name (letters, digits, _)',
      maxConcurrentSteps: 'a whole number from 1 to 64',
    });
  });

  it('says how long a name, a model or a folder may be, in words for a person', () => {
    const check = checkDraft(draft({ name: `Ünïcødé 🚀 ${'x'.repeat(200)}`, model: 'm'.repeat(201), cwd: `/${'d'.repeat(4096)}` }));
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual({ name: 'at most 100 characters', model: 'at most 200 characters', cwd: 'at most 4096 characters' });
  });

  it('asks for an id and for a secret when they are left empty', () => {
    const check = checkDraft(draft({ id: '', secrets: [{ secret: '', variable: 'OPENAI_API_KEY' }] }));
    expect(check.errors).toEqual({ id: 'Give the agent an id.', 'secrets.0.secret': 'pick a secret from the keychain' });
  });

  it('refuses rows that would be merged or lost: a repeated variable, a value without a name', () => {
    const check = checkDraft(
      draft({
        env: [
          { key: 'MODE', value: 'a' },
          { key: 'MODE', value: 'b' },
          { key: '', value: 'orphan' },
        ],
        secrets: [
          { secret: 'one', variable: 'API_KEY' },
          { secret: 'two', variable: 'API_KEY' },
          { secret: 'three', variable: 'MODE' },
        ],
      }),
    );
    expect(check.errors).toEqual({
      'env.1.key': 'MODE is set twice',
      'env.2.key': 'give the variable a name, or clear its value',
      'secrets.1.variable': 'API_KEY is filled twice',
      'secrets.2.variable': 'MODE is also set under Extra environment; keep one',
    });
  });

  it('does not let a new agent take the id of a saved one (saving would replace it)', () => {
    expect(checkDraft(draft(), { isNew: true, existingIds: ['reviewer'] }).errors.id).toMatch(/^an agent "reviewer" exists already/);
    expect(checkDraft(draft(), { isNew: false, existingIds: ['reviewer'] }).ok).toBe(true);
  });

  it('places the engine’s refusal on the fields it names', () => {
    const d = draft({ env: [{ key: '', value: '' }, { key: 'X Y', value: '1' }], secrets: [{ secret: 's', variable: 'V' }] });
    const issues = [
      { path: 'agent.name', message: 'Too small; at least 1 character' },
      { path: 'agent.env.X Y', message: 'Invalid key in record' },
      { path: 'agent.secrets[0].variable', message: 'bad' },
      { path: 'agent.capabilities[2]', message: 'too long' },
      { path: 'elsewhere', message: 'something else' },
    ];
    expect(errorsFromRefusal(d, { issues })).toEqual({
      name: 'Too small; at least 1 character',
      'env.1.key': 'Invalid key in record',
      'secrets.0.variable': 'bad',
      capabilities: 'too long',
    });
    expect(errorsFromRefusal(d, undefined)).toEqual({});
  });

  it('sends an empty model and folder as null and an empty limit as the default', () => {
    expect(agentInputFromDraft(draft({ model: ' ', cwd: '', maxConcurrentSteps: '' }))).toMatchObject({ model: null, cwd: null, maxConcurrentSteps: 1 });
  });

  it('suggests an id from the name and adds capabilities without repeats', () => {
    expect(idFromName('Code reviewer (Claude)')).toBe('code-reviewer-claude');
    expect(idFromName('  --Ünïcode_name  ')).toBe('unicode-name');
    expect(withCapabilities(['review'], ' tests, review ,, docs ')).toEqual(['review', 'tests', 'docs']);
  });
});
