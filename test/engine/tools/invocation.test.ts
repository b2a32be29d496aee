import { describe, expect, it } from 'vitest';
import {
  agyAdapter,
  aiderAdapter,
  aiToolAdapters,
  claudeCodeAdapter,
  codexAdapter,
  createToolRegistry,
  cursorAdapter,
  geminiAdapter,
  mergeEnv,
  shellAdapter,
  userShell,
  zaiAdapter,
  type AiToolAdapter,
  type AutonomyMode,
} from '../../../electron/engine/tools/index.js';
import { isPhotonError } from '../../../shared/errors.js';
import { context, step } from './tool-test-helpers.js';

const P = 'PROMPT';
const zaiKey = { ZAI_API_KEY: 'zai-key' };

/** Every adapter's argv for each autonomy mode, with and without a model. */
const expectedArgs: Record<string, Partial<Record<AutonomyMode, string[]>> & { model: string[] }> = {
  'claude-code': {
    default: ['-p', P, '--output-format', 'stream-json', '--verbose'],
    'auto-edit': ['-p', P, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits'],
    full: ['-p', P, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'bypassPermissions'],
    model: ['-p', P, '--output-format', 'stream-json', '--verbose', '--model', 'opus'],
  },
  zai: {
    default: ['-p', P, '--output-format', 'stream-json', '--verbose'],
    'auto-edit': ['-p', P, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits'],
    full: ['-p', P, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'bypassPermissions'],
    model: ['-p', P, '--output-format', 'stream-json', '--verbose', '--model', 'opus'],
  },
  codex: {
    default: ['exec', '--json', '--skip-git-repo-check', P],
    'auto-edit': ['exec', '--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', P],
    full: ['exec', '--json', '--skip-git-repo-check', '--sandbox', 'danger-full-access', P],
    model: ['exec', '--json', '--skip-git-repo-check', '--model', 'opus', P],
  },
  gemini: {
    default: ['-p', P, '--output-format', 'stream-json'],
    'auto-edit': ['-p', P, '--output-format', 'stream-json', '--approval-mode', 'auto_edit'],
    full: ['-p', P, '--output-format', 'stream-json', '--approval-mode', 'yolo'],
    model: ['-p', P, '--output-format', 'stream-json', '--model', 'opus'],
  },
  agy: {
    default: ['--output-format', 'stream-json', '-p', P],
    full: ['--output-format', 'stream-json', '--dangerously-skip-permissions', '-p', P],
    model: ['--output-format', 'stream-json', '--model', 'opus', '-p', P],
  },
  cursor: {
    default: ['-p', P, '--output-format', 'stream-json', '--trust'],
    full: ['-p', P, '--output-format', 'stream-json', '--force'],
    model: ['-p', P, '--output-format', 'stream-json', '--model', 'opus', '--trust'],
  },
  aider: {
    default: ['--message', P, '--no-pretty', '--no-stream', '--no-check-update', '--no-show-release-notes'],
    'auto-edit': ['--message', P, '--no-pretty', '--no-stream', '--no-check-update', '--no-show-release-notes', '--yes-always', '--no-suggest-shell-commands'],
    full: ['--message', P, '--no-pretty', '--no-stream', '--no-check-update', '--no-show-release-notes', '--yes-always'],
    model: ['--message', P, '--no-pretty', '--no-stream', '--no-check-update', '--no-show-release-notes', '--model', 'opus'],
  },
};

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe.each(aiToolAdapters.map((adapter) => [adapter.platform, adapter] as [string, AiToolAdapter]))('%s invocation', (platform, adapter) => {
  const expected = expectedArgs[platform]!;

  it('runs the detected binary itself, never through a shell, in its structured output mode', () => {
    const invocation = adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }, context({ env: zaiKey }));
    expect(invocation.file).toBe('/opt/tools/bin/tool');
    expect(invocation.args).toEqual(expected.default);
    expect(invocation.display.startsWith('tool ')).toBe(true);
  });

  it.each(['default', 'auto-edit', 'full'] as AutonomyMode[])('maps autonomy %s to its flags, or refuses a mode the tool lacks', (autonomy) => {
    const run = () => adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }, context({ autonomy, env: zaiKey }));
    if (expected[autonomy]) {
      expect(adapter.supports.autonomyModes).toContain(autonomy);
      expect(run().args).toEqual(expected[autonomy]);
    } else {
      expect(adapter.supports.autonomyModes).not.toContain(autonomy);
      const error = thrown(run);
      expect(isPhotonError(error) && error.code).toBe('invalid');
      expect((error as Error).message).toBe(`${platform} has no "${autonomy}" autonomy mode; use one of: ${adapter.supports.autonomyModes.join(', ')}`);
    }
  });

  it('passes the model', () => {
    expect(adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }, context({ model: 'opus', env: zaiKey })).args).toEqual(expected.model);
  });

  it('keeps a hostile prompt as one argv element, exactly as written', () => {
    const prompt = `Fix "it" & don't break $(rm -rf ~) or \`id\`;\necho $HOME > /tmp/x\n\tand 'quotes' | cat`;
    const { args } = adapter.invocation(step({ prompt }, { platform }), { prompt }, context({ env: zaiKey }));
    expect(args.filter((arg) => arg === prompt)).toHaveLength(1);
    expect(args.filter((arg) => arg.includes('rm -rf'))).toHaveLength(1);
  });

  it('keeps a prompt that starts with a dash from being read as a flag', () => {
    const prompt = '--help me write tests';
    const { args } = adapter.invocation(step({ prompt }, { platform }), { prompt }, context({ env: zaiKey }));
    expect(args).toContain(' --help me write tests');
    expect(args).not.toContain(prompt);
  });

  it('passes the secrets it is given and never an empty key', () => {
    const env = { ...zaiKey, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '   ', GEMINI_API_KEY: 'gem-key', CURSOR_API_KEY: 'cur-key' };
    const invocation = adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }, context({ env }));
    for (const [name, value] of Object.entries(invocation.env)) expect(value.trim(), name).not.toBe('');
    expect(invocation.env).not.toHaveProperty('OPENAI_API_KEY');
    expect(invocation.env).not.toHaveProperty('ANTHROPIC_API_KEY');
    if (platform !== 'zai') expect(invocation.env).toMatchObject({ GEMINI_API_KEY: 'gem-key', CURSOR_API_KEY: 'cur-key' });
  });

  it("gives the tool the login shell's PATH it was found on", () => {
    const invocation = adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }, context({ env: zaiKey, searchPath: '/home/u/.nvm/bin:/usr/bin' }));
    expect(invocation.env.PATH).toBe('/home/u/.nvm/bin:/usr/bin');
  });

  it('refuses to run without a detected binary', () => {
    const error = thrown(() => adapter.invocation(step({ prompt: P }, { platform }), { prompt: P }));
    expect(isPhotonError(error) && error.code).toBe('unavailable');
    expect((error as Error).message).toMatch(new RegExp(`^${platform}: no executable was detected`));
  });

  it('composes a prompt for a seed-style step and passes it as one element', () => {
    const seed = step({ codebase: 'latest' }, { platform, action: 'analyze-code-quality' });
    const { args } = adapter.invocation(seed, seed.inputs, context({ env: zaiKey }));
    const prompt = args.find((arg) => arg.includes('analyze-code-quality'));
    expect(prompt).toBe('Perform the action "analyze-code-quality" (analyze code quality) in the current working directory.\n\nInputs:\ncodebase: latest\n\nWhen you are done, reply with the result as your final message.');
  });
});

describe('tool-specific environment', () => {
  it('points Z.AI at its endpoint with the agent key as a bearer token, and keeps the user’s Anthropic credentials away from it', () => {
    const invocation = zaiAdapter.invocation(step({ prompt: P }, { platform: 'zai' }), { prompt: P }, context({ env: { ZAI_API_KEY: 'zai-key', ANTHROPIC_DEFAULT_SONNET_MODEL: 'glm-4.6' } }));
    expect(invocation.env).toEqual({ ANTHROPIC_BASE_URL: 'https://api.z.ai/api/anthropic', ANTHROPIC_AUTH_TOKEN: 'zai-key', ANTHROPIC_DEFAULT_SONNET_MODEL: 'glm-4.6' });
    const merged = mergeEnv({ HOME: '/home/u', ANTHROPIC_API_KEY: 'sk-ant-user', CLAUDE_CODE_OAUTH_TOKEN: 'oauth-user', ANTHROPIC_BASE_URL: 'https://gateway.example' }, invocation);
    expect(merged).toEqual({ HOME: '/home/u', ANTHROPIC_BASE_URL: 'https://api.z.ai/api/anthropic', ANTHROPIC_AUTH_TOKEN: 'zai-key', ANTHROPIC_DEFAULT_SONNET_MODEL: 'glm-4.6' });
  });

  it('accepts the Z.AI key under ANTHROPIC_AUTH_TOKEN and refuses to run Z.AI without one', () => {
    const invocation = zaiAdapter.invocation(step({ prompt: P }, { platform: 'zai' }), { prompt: P }, context({ env: { ANTHROPIC_AUTH_TOKEN: 'zai-key' } }));
    expect(invocation.env.ANTHROPIC_AUTH_TOKEN).toBe('zai-key');
    const error = thrown(() => zaiAdapter.invocation(step({ prompt: P }, { platform: 'zai' }), { prompt: P }, context({ env: { ZAI_API_KEY: '' } })));
    expect((error as Error).message).toBe('zai: no Z.AI key; give the agent a secret for ANTHROPIC_AUTH_TOKEN (or ZAI_API_KEY)');
  });

  it('trusts the workflow folder for headless Gemini through its documented variable', () => {
    expect(geminiAdapter.invocation(step({ prompt: P }), { prompt: P }, context()).env).toEqual({ GEMINI_CLI_TRUST_WORKSPACE: 'true' });
  });

  it('gives Codex the key where 0.171 reads it (CODEX_API_KEY) and its endpoint as the config key it reads', () => {
    const invocation = codexAdapter.invocation(step({ prompt: P }), { prompt: P }, context({ env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' } }));
    // OPENAI_* stay for versions before 0.171, which read them.
    expect(invocation.env).toEqual({ OPENAI_API_KEY: 'k', CODEX_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' });
    expect(invocation.args.slice(-3)).toEqual(['-c', 'openai_base_url="http://127.0.0.1:8080/v1"', P]);
    // An agent's own CODEX_API_KEY wins; without a base URL no -c is passed.
    const own = codexAdapter.invocation(step({ prompt: P }), { prompt: P }, context({ env: { OPENAI_API_KEY: 'k', CODEX_API_KEY: 'codex-own' } }));
    expect(own.env.CODEX_API_KEY).toBe('codex-own');
    expect(own.args).not.toContain('-c');
  });

  it("maps the same names when they come from the user's own environment, the agent's winning", () => {
    const inherited = { OPENAI_API_KEY: 'from-shell', OPENAI_BASE_URL: 'https://gateway.example/v1' };
    const fromShell = codexAdapter.invocation(step({ prompt: P }), { prompt: P }, context({ inherited }));
    expect(fromShell.env).toEqual({ CODEX_API_KEY: 'from-shell' });
    expect(fromShell.args).toContain('openai_base_url="https://gateway.example/v1"');
    const agentKey = codexAdapter.invocation(step({ prompt: P }), { prompt: P }, context({ env: { OPENAI_API_KEY: 'agent-key' }, inherited: { ...inherited, CODEX_API_KEY: 'shell-codex' } }));
    expect(agentKey.env.CODEX_API_KEY).toBe('agent-key');
  });

  it('adds nothing else to the environment of the other tools', () => {
    for (const adapter of [claudeCodeAdapter, agyAdapter, cursorAdapter, aiderAdapter]) {
      expect(adapter.invocation(step({ prompt: P }), { prompt: P }, context({ env: { OPENAI_API_KEY: 'k' } })).env).toEqual({ OPENAI_API_KEY: 'k' });
    }
  });

  it('mergeEnv drops inherited credentials that are set but empty', () => {
    const merged = mergeEnv({ PATH: '/usr/bin', ANTHROPIC_API_KEY: '', GITHUB_TOKEN: ' ', EMPTY_SETTING: '' }, { env: { OPENAI_API_KEY: 'k' } });
    expect(merged).toEqual({ PATH: '/usr/bin', EMPTY_SETTING: '', OPENAI_API_KEY: 'k' });
  });

  it('shortens the prompt in the command shown to the user', () => {
    const prompt = `Review this very long request that goes on and on about many things in the codebase, please`;
    const invocation = claudeCodeAdapter.invocation(step({ prompt }), { prompt }, context({ binaryPath: '/usr/local/bin/claude' }));
    expect(invocation.display).toBe('claude -p "Review this very long request that goes on and on about m..." --output-format stream-json --verbose');
  });
});

describe('the shell platform and the registry', () => {
  it('still runs a shell command through the user shell', () => {
    const invocation = shellAdapter.invocation(step({ command: 'echo hi' }, { platform: 'shell' }), { command: 'echo hi' });
    expect(invocation).toEqual({ file: userShell().file, args: userShell().args('echo hi'), env: {}, display: 'echo hi' });
  });

  it('knows only the adapters it was given; the default is the shell alone until the executor passes contexts', () => {
    expect([...createToolRegistry().runnablePlatforms()]).toEqual(['shell']);
    const registry = createToolRegistry([shellAdapter, ...aiToolAdapters]);
    expect([...registry.runnablePlatforms()]).toEqual(['shell', 'claude-code', 'zai', 'codex', 'gemini', 'agy', 'cursor', 'aider']);
    expect(registry.adapterFor('cursor')).toBe(cursorAdapter);
    expect(() => registry.adapterFor('copilot')).toThrow('platform "copilot" cannot run in this version of Photon');
  });
});
