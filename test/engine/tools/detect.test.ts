import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aiToolAdapters,
  claudeCodeAdapter,
  compareVersions,
  createToolRegistry,
  cursorAdapter,
  extractVersion,
  geminiAdapter,
  shellAdapter,
  ToolDetector,
  unusableToolMessage,
  userShell,
} from '../../../electron/engine/tools/index.js';
import { loginShellPath } from '../../../electron/engine/tools/detect.js';
import { makeTempDir, removeDir } from '../helpers.js';
import { standInsDir } from './tool-test-helpers.js';

let root: string;
let bin: string;

beforeEach(() => {
  root = makeTempDir('tools-detect');
  bin = join(root, 'bin');
  mkdirSync(bin);
  // The stand-ins are node scripts (#!/usr/bin/env node): node must be on the searched PATH.
  symlinkSync(process.execPath, join(bin, 'node'));
});

afterEach(() => removeDir(root));

function install(...names: string[]): void {
  for (const name of names) symlinkSync(join(standInsDir, name), join(bin, name));
}

function script(folder: string, name: string, body: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function registry(env: Record<string, string> = {}, options: { loginShell?: boolean; shell?: string; commandTimeoutMs?: number } = {}) {
  return createToolRegistry([shellAdapter, ...aiToolAdapters], { env: { PATH: bin, HOME: root, ...env }, loginShell: false, ...options });
}

describe('tool detection with stand-in executables on a temporary PATH', () => {
  it('finds installed tools with their path and version, and reports the missing ones', async () => {
    install('claude', 'codex', 'gemini');
    const tools = await registry().list();
    const byPlatform = new Map(tools.map((tool) => [tool.platform, tool]));

    expect(byPlatform.get('claude-code')).toMatchObject({
      label: 'Claude Code',
      installed: true,
      path: join(bin, 'claude'),
      binary: 'claude',
      version: '2.1.329',
      minimumVersion: '1.0.0',
      tooOld: false,
      supports: { json: true, resume: true, cost: true, tokens: true, autonomyModes: ['default', 'auto-edit', 'full'] },
      searchPath: bin,
    });
    expect(byPlatform.get('claude-code')).not.toHaveProperty('error');
    expect(byPlatform.get('claude-code')).not.toHaveProperty('missingFlags');
    // Z.AI is Claude Code again; it reports no cost of its own.
    expect(byPlatform.get('zai')).toMatchObject({ installed: true, path: join(bin, 'claude'), version: '2.1.329', supports: { cost: false } });
    expect(byPlatform.get('codex')).toMatchObject({ installed: true, version: '0.171.0', tooOld: false });
    expect(byPlatform.get('codex')).not.toHaveProperty('missingFlags');
    expect(byPlatform.get('gemini')).toMatchObject({ installed: true, version: '0.61.0', tooOld: false });
    expect(byPlatform.get('gemini')).not.toHaveProperty('missingFlags');

    expect(byPlatform.get('aider')).toMatchObject({ installed: false, path: null, version: null, tooOld: false });
    expect(byPlatform.get('aider')?.error).toBe('Aider is not installed: no "aider" on the login shell\'s PATH (1 folders searched)');
    expect(byPlatform.get('cursor')?.error).toBe('Cursor agent is not installed: no "cursor-agent" or "agent" on the login shell\'s PATH (1 folders searched)');
    expect(byPlatform.get('shell')).toMatchObject({ installed: true, path: userShell().file, version: null });
  });

  it('checks every tool the stand-ins cover, their flags included', async () => {
    install('claude', 'codex', 'gemini', 'agy', 'cursor-agent', 'aider');
    const tools = await registry().list();
    for (const tool of tools) {
      expect(tool, tool.platform).toMatchObject({ installed: true, tooOld: false });
      expect(tool.error, tool.platform).toBeUndefined();
    }
    expect(tools.find((tool) => tool.platform === 'cursor')).toMatchObject({ binary: 'cursor-agent', version: '2025.11.06-8fe8a63' });
    expect(tools.find((tool) => tool.platform === 'aider')).toMatchObject({ version: '0.86.1' });
  });

  it('reports a version older than the adapter supports', async () => {
    install('claude', 'codex');
    const tools = await registry({ PHOTON_STANDIN_VERSION: '0.9.2' }).list();
    expect(tools.find((tool) => tool.platform === 'claude-code')).toMatchObject({
      installed: true,
      version: '0.9.2',
      tooOld: true,
      error: `Claude Code 0.9.2 at ${join(bin, 'claude')} is too old: Photon needs 1.0.0 or newer; update it`,
    });
    expect(tools.find((tool) => tool.platform === 'codex')).toMatchObject({ tooOld: true, error: `Codex 0.9.2 at ${join(bin, 'codex')} is too old: Photon needs 0.50.0 or newer; update it` });
  });

  it("finds Cursor's agent under its other name", async () => {
    symlinkSync(join(standInsDir, 'cursor-agent'), join(bin, 'agent'));
    const detection = await new ToolDetector({ env: { PATH: bin }, loginShell: false }).detect(cursorAdapter);
    expect(detection).toMatchObject({ installed: true, binary: 'agent', path: join(bin, 'agent'), version: '2025.11.06-8fe8a63' });
  });

  it('names the flags a version does not list in its help', async () => {
    script(bin, 'claude', 'case "$1" in --version) echo "1.5.0 (Claude Code)";; --help) echo "  -p, --print  Print\n  --output-format <format>  (choices: \\"text\\", \\"stream-json\\")\n  --verbose\n  --model <model>";; esac');
    const detection = await new ToolDetector({ env: { PATH: bin }, loginShell: false }).detect(claudeCodeAdapter);
    expect(detection).toMatchObject({ installed: true, version: '1.5.0', tooOld: false, missingFlags: ['--permission-mode', '"acceptEdits"', '"bypassPermissions"'] });
    expect(detection.error).toBe(`Claude Code 1.5.0 at ${join(bin, 'claude')} does not list --permission-mode, "acceptEdits", "bypassPermissions" in "claude --help": update it, or expect its steps to fail`);
  });

  it('says when the version cannot be read, or the tool does not answer', async () => {
    script(bin, 'claude', 'echo "unknown build"');
    const unreadable = await new ToolDetector({ env: { PATH: bin }, loginShell: false, checkHelp: false }).detect(claudeCodeAdapter);
    expect(unreadable).toMatchObject({ installed: true, version: null, tooOld: false });
    expect(unreadable.error).toBe(`could not read the version of Claude Code at ${join(bin, 'claude')} ("claude --version": it printed "unknown build")`);

    // A version that cannot be read is not an old one: the advice is to check the tool, not to update it.
    expect(unusableToolMessage(unreadable, claudeCodeAdapter)).toBe(
      `${unreadable.error}. Check that \`claude --version\` works in a terminal, then run "Detect tools" (or \`photon tools\`).`,
    );

    // Were the limit not enforced, this would outlast the test's own timeout.
    script(bin, 'claude', '/bin/sleep 120');
    const hung = await new ToolDetector({ env: { PATH: bin }, loginShell: false, commandTimeoutMs: 300 }).detect(claudeCodeAdapter);
    expect(hung).toMatchObject({ installed: true, version: null, versionTimedOut: true });
    expect(hung.error).toBe(`Claude Code at ${join(bin, 'claude')} did not answer "claude --version" within 300 ms (a busy machine, or a slow start): its steps run anyway, and Photon asks again next time`);
  });

  it('runs a tool whose --version is slow, and asks again next time instead of remembering the timeout (gemini 0.61 takes about 7 s)', async () => {
    install('gemini');
    // The detector reads this object at each lookup: the tool gets faster between the two.
    // The timeout leaves a loaded machine time to start the stand-in's Node (400 ms did not, in CI).
    const env: Record<string, string> = { PATH: bin, HOME: root, PHOTON_STANDIN_VERSION_DELAY_MS: '10000' };
    const tools = createToolRegistry([shellAdapter, ...aiToolAdapters], { env, loginShell: false, commandTimeoutMs: 3000 });
    const slow = await tools.detection('gemini');
    expect(slow).toMatchObject({ installed: true, version: null, versionTimedOut: true });
    // The step is not failed for it, and nobody is told to update a tool that is not old.
    const runnable = await tools.requireRunnable(geminiAdapter);
    expect(runnable.path).toBe(join(bin, 'gemini'));

    env.PHOTON_STANDIN_VERSION_DELAY_MS = '0';
    const answered = await tools.detection('gemini');
    expect(answered.version).toBe('0.61.0');
    expect(answered).not.toHaveProperty('versionTimedOut');
    expect(answered).not.toHaveProperty('error');
  });

  it.runIf(process.getuid?.() === 0)('says, when Photon runs as root, that Claude Code refuses "full" there', async () => {
    install('claude');
    const claude = await registry().detection('claude-code');
    expect(claude.notes).toEqual([expect.stringMatching(/^Photon runs as root here: Claude Code refuses the "full" autonomy mode \(bypassPermissions\) as root/)]);
    expect(claude.error).toBeUndefined();
  });

  it("steers a Gemini CLI that signs in with a personal Google account to Antigravity, and keeps it usable", async () => {
    install('gemini');
    mkdirSync(join(root, '.gemini'));
    writeFileSync(join(root, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'oauth-personal' } } }));
    const gemini = await registry().detection('gemini');
    expect(gemini).toMatchObject({ installed: true, version: '0.61.0' });
    expect(gemini.error).toBeUndefined();
    expect(gemini.notes).toEqual([expect.stringMatching(/ended that sign-in for personal accounts in June 2026\. For a personal account use Antigravity \(agy\)/)]);
    // With an API key it signs in as before: nothing to say.
    expect((await registry({ GEMINI_API_KEY: 'k' }).detection('gemini')).notes).toBeUndefined();
  });

  it('skips files that are not executable and folders named like the tool', async () => {
    writeFileSync(join(bin, 'codex'), 'not executable');
    mkdirSync(join(bin, 'gemini'));
    const tools = await registry().list();
    expect(tools.find((tool) => tool.platform === 'codex')?.installed).toBe(false);
    expect(tools.find((tool) => tool.platform === 'gemini')?.installed).toBe(false);
  });

  it('remembers what it found until asked to look again', async () => {
    install('claude');
    const tools = registry();
    const first = await tools.list();
    expect(first.find((tool) => tool.platform === 'aider')?.installed).toBe(false);
    install('aider');
    expect(await tools.list()).toEqual(first);
    expect((await tools.detection('aider')).installed).toBe(false);
    const again = await tools.detect();
    expect(again.find((tool) => tool.platform === 'aider')).toMatchObject({ installed: true, version: '0.86.1' });
    expect((await tools.detection('aider')).installed).toBe(true);
  });
});

describe("the login shell's PATH", () => {
  it('is searched before the engine’s own PATH, whatever the profile prints', async () => {
    const shellBin = join(root, 'shell-bin');
    install('codex');
    mkdirSync(shellBin);
    symlinkSync(join(standInsDir, 'claude'), join(shellBin, 'claude'));
    // A shell whose profile greets the user and adds a folder, as nvm or Homebrew do.
    const shell = script(join(root, 'shells'), 'fake-zsh', `echo "Welcome back!"\nPATH="${shellBin}:${bin}"; export PATH\nexec /bin/sh -c "$2"`);
    const tools = await registry({ PATH: bin }, { loginShell: true, shell }).list();
    expect(tools.find((tool) => tool.platform === 'claude-code')).toMatchObject({ installed: true, path: join(shellBin, 'claude'), searchPath: `${shellBin}:${bin}` });
    expect(tools.find((tool) => tool.platform === 'codex')).toMatchObject({ installed: true, path: join(bin, 'codex') });
  });

  it('falls back to a plain login shell when the interactive one fails, then to the engine’s PATH', async () => {
    const shells = join(root, 'shells');
    const picky = script(shells, 'picky', `[ "$1" = "-ilc" ] && exit 1\nPATH="/from/login:$PATH"; export PATH\nexec /bin/sh -c "$2"`);
    expect(await loginShellPath(picky, { PATH: '/usr/bin:/bin' }, 2000)).toBe('/from/login:/usr/bin:/bin');

    const hanging = script(shells, 'hanging', '/bin/sleep 120');
    expect(await loginShellPath(hanging, { PATH: '/usr/bin:/bin' }, 200)).toBeUndefined();
    const detector = new ToolDetector({ env: { PATH: bin, SHELL: hanging }, shellTimeoutMs: 200 });
    expect(await detector.resolveSearchPath()).toBe(bin);
  });

  it("lets a timed-out profile's exit traps remove its locks, then ends the shell that ignores SIGTERM", async () => {
    // As pyenv's rehash in ~/.bashrc does: a lock file its exit trap removes. Killed outright, the lock
    // stays and every shell the user opens afterwards waits 60 s for it. The shell itself ignores
    // SIGTERM, as an interactive bash does.
    const lock = join(root, 'rehash.lock');
    const shellPid = join(root, 'shell.pid');
    const shell = script(
      join(root, 'shells'),
      'locking',
      `echo $$ > "${shellPid}"\ntrap ':' TERM\n/bin/bash -c 'echo locked > "${lock}"; trap "rm -f ${lock}" EXIT; sleep 120' &\nwhile :; do sleep 0.1; done`,
    );
    expect(await loginShellPath(shell, { PATH: '/usr/bin:/bin' }, 500)).toBeUndefined();
    expect(existsSync(lock)).toBe(false);
    const pid = Number(readFileSync(shellPid, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("reads a real login shell's PATH", async () => {
    const path = await loginShellPath('/bin/sh', { PATH: '/usr/bin:/bin', HOME: root }, 5000);
    expect(path?.split(':')).toContain('/usr/bin');
  });
});

describe('version numbers', () => {
  it('reads the version each tool prints', () => {
    expect(extractVersion('2.1.329 (Claude Code)')).toBe('2.1.329');
    expect(extractVersion('codex-cli 0.169.0')).toBe('0.169.0');
    expect(extractVersion('0.61.0\n')).toBe('0.61.0');
    expect(extractVersion('aider 0.86.1')).toBe('0.86.1');
    expect(extractVersion('aider v0.86.2.dev12+g1a2b3c4')).toBe('0.86.2');
    expect(extractVersion('2025.11.06-8fe8a63')).toBe('2025.11.06-8fe8a63');
    expect(extractVersion('\x1b[1m1.2\x1b[0m')).toBe('1.2');
    expect(extractVersion('no version here')).toBeUndefined();
  });

  it('compares major, minor and patch as numbers', () => {
    expect(compareVersions('2.1.329', '1.0.0')).toBe(1);
    expect(compareVersions('0.9.2', '1.0.0')).toBe(-1);
    expect(compareVersions('0.50.0', '0.50')).toBe(0);
    expect(compareVersions('0.100.0', '0.50.0')).toBe(1);
    expect(compareVersions('2025.11.06-8fe8a63', '2025.8.0')).toBe(1);
  });
});
