/** Which tools have an ACP mode and whether its executable is on the PATH, as `tools.list` says. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acpModes, claudeCodeAdapter, codexAdapter, cursorAdapter, geminiAdapter, shellAdapter, ToolDetector } from '../../../electron/engine/tools/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

let bin: string;

beforeEach(() => {
  bin = join(makeTempDir('acp-detect'), 'bin');
  mkdirSync(bin);
});
afterEach(() => removeDir(join(bin, '..')));

function executable(name: string): string {
  const file = join(bin, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

const detector = () => new ToolDetector({ env: { PATH: bin, HOME: bin }, loginShell: false, checkHelp: false, commandTimeoutMs: 5000 });

describe('ACP modes in the tool registry', () => {
  it('finds the Claude Code adapter by its executable, and says how to install the Codex one', async () => {
    const adapter = executable('claude-agent-acp');
    expect((await detector().detect(claudeCodeAdapter)).acp).toEqual({ available: true, path: adapter, command: 'claude-agent-acp', install: 'npm install -g @zed-industries/claude-agent-acp' });
    expect((await detector().detect(codexAdapter)).acp).toMatchObject({
      available: false,
      path: null,
      error: `no "codex-acp" on the login shell's PATH: npm install -g @zed-industries/codex-acp`,
    });
  });

  it("runs Gemini CLI's own binary with --acp", async () => {
    const gemini = executable('gemini');
    expect((await detector().detect(geminiAdapter)).acp).toMatchObject({ available: true, path: gemini, command: 'gemini --acp' });
    expect(acpModes.gemini!.args).toEqual(['--acp']);
  });

  it("counts Gemini CLI's ACP mode only when its help lists --acp (older versions do not speak ACP)", async () => {
    const gemini = join(bin, 'gemini');
    const withHelp = (help: string) => {
      writeFileSync(gemini, `#!/bin/sh\ncase "$1" in --version) echo 0.61.0 ;; *) printf '%s\\n' '${help}' ;; esac\n`);
      chmodSync(gemini, 0o755);
    };
    const checking = () => new ToolDetector({ env: { PATH: bin, HOME: bin }, loginShell: false, commandTimeoutMs: 5000 });
    withHelp('  -p, --prompt   Run headless  [string]');
    expect((await checking().detect(geminiAdapter)).acp).toMatchObject({
      available: false,
      path: gemini,
      error: 'Gemini CLI 0.61.0 does not list --acp in "gemini --help": update it to run its steps as sessions',
    });
    withHelp('      --acp      Starts the agent in ACP mode  [boolean]');
    expect((await checking().detect(geminiAdapter)).acp).toMatchObject({ available: true, path: gemini });
  });

  it('tools without an ACP mode say nothing about it', async () => {
    expect((await detector().detect(cursorAdapter)).acp).toBeUndefined();
    expect((await detector().detect(shellAdapter)).acp).toBeUndefined();
  });
});
