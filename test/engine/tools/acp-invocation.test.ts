/**
 * How a session's ACP agent is started from a tool and an agent's variables: the key and endpoint
 * mapped as the tool reads them, codex-acp's own home only when it signs in with a key (never the
 * user's, which its sign-in would overwrite with the key in plain text), and IS_SANDBOX dropped
 * for claude-agent-acp where Claude Code would refuse it (as root, any value but "1"); the agent's
 * model passed the way each adapter reads it, and nothing of a model when the agent has none.
 */
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acpInvocation, acpModes, claudeCodeAdapter, codexAdapter, geminiAdapter } from '../../../electron/engine/tools/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

let root: string;
let home: string;
let folder: string;
let made: number;
const sessionFolder = () => {
  made++;
  mkdirSync(folder, { recursive: true });
  return folder;
};

beforeEach(() => {
  root = makeTempDir('acp-invocation');
  home = join(root, 'home');
  folder = join(root, 'session');
  made = 0;
  mkdirSync(join(home, '.codex'), { recursive: true });
  writeFileSync(join(home, '.codex', 'config.toml'), 'model = "gpt-5"\n');
  writeFileSync(join(home, '.codex', 'auth.json'), '{"auth_mode":"chatgpt"}\n');
});
afterEach(() => removeDir(root));

describe('an ACP agent started for a session', () => {
  it("gives codex-acp the agent's key and endpoint, a home of its own with the user's config but not their login, and asks before commands", () => {
    const started = acpInvocation(codexAdapter, acpModes.codex!, {
      binaryPath: '/bin/codex-acp',
      env: { OPENAI_API_KEY: 'sk-agent-key', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
      inherited: { HOME: home, PATH: '/usr/bin' },
      folder: sessionFolder,
    });
    expect(started.args).toEqual(['-c', 'openai_base_url="http://127.0.0.1:9/v1"', '-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="workspace-write"']);
    expect(started.authMethod).toBe('codex-api-key');
    expect(started.env).toMatchObject({ CODEX_API_KEY: 'sk-agent-key', CODEX_HOME: join(folder, 'codex-home'), HOME: home });
    expect(lstatSync(join(folder, 'codex-home', 'config.toml')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(folder, 'codex-home', 'auth.json'))).toBe(false);
  });

  it("leaves codex-acp on the user's own login, with no folder made, when there is no key", () => {
    const started = acpInvocation(codexAdapter, acpModes.codex!, { binaryPath: '/bin/codex-acp', env: {}, inherited: { HOME: home }, folder: sessionFolder });
    expect(started.authMethod).toBeUndefined();
    expect(started.env.CODEX_HOME).toBeUndefined();
    expect(made).toBe(0);
  });

  it('drops an IS_SANDBOX that Claude Code refuses as root, and keeps "1"', () => {
    const start = (value: string) => acpInvocation(claudeCodeAdapter, acpModes['claude-code']!, { binaryPath: '/bin/claude-agent-acp', env: { ANTHROPIC_API_KEY: 'sk-ant' }, inherited: { IS_SANDBOX: value }, folder: sessionFolder }).env;
    const root = process.getuid?.() === 0;
    expect(start('yes').IS_SANDBOX).toBe(root ? undefined : 'yes');
    expect(start('1')).toMatchObject({ IS_SANDBOX: '1', ANTHROPIC_API_KEY: 'sk-ant' });
  });

  describe("with the agent's model", () => {
    const start = (tool: 'claude-code' | 'codex' | 'gemini', model?: string) => {
      const adapter = { 'claude-code': claudeCodeAdapter, codex: codexAdapter, gemini: geminiAdapter }[tool];
      return acpInvocation(adapter, acpModes[tool]!, { binaryPath: `/bin/${tool}`, model, env: {}, inherited: { HOME: home }, folder: sessionFolder });
    };

    it('gives codex-acp a -c model= override, quoted as TOML', () => {
      expect(start('codex', 'gpt-5-codex').args).toEqual(['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="workspace-write"', '-c', 'model="gpt-5-codex"']);
      expect(start('codex', 'odd "name"').args.slice(-2)).toEqual(['-c', 'model="odd \\"name\\""']);
    });

    it('gives gemini --model after --acp', () => {
      expect(start('gemini', ' gemini-2.5-flash ').args).toEqual(['--acp', '--model', 'gemini-2.5-flash']);
    });

    it('leaves the model of claude-agent-acp to be set over ACP, not its arguments', () => {
      const started = start('claude-code', 'sonnet');
      expect(started.model).toBe('sonnet');
      expect(started.args).toEqual([]);
    });

    it('passes no model to any adapter when the agent has none', () => {
      for (const tool of ['claude-code', 'codex', 'gemini'] as const) {
        for (const model of [undefined, '', '  ']) {
          const started = start(tool, model);
          expect(started.model).toBeUndefined();
          expect(started.args.join(' ')).not.toMatch(/model/);
        }
      }
    });
  });
});
