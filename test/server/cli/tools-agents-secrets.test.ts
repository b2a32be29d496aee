/**
 * `photon tools`, `photon agents` and `photon secrets` as a user runs them. The keychain cases run
 * inside the private Secret Service that scripts/run-tests.js starts; the no-keychain case points a
 * child at a D-Bus address where nothing listens.
 */
import * as pty from 'node-pty';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine/index.js';
import { createKeychain } from '../../../electron/engine/secrets/index.js';
import { photon, photonBin, repoRoot, run, tempFolder, type Ran } from './helpers.js';

const keychainReady = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';
const temp = tempFolder();
const bin = join(temp.dir, 'bin');
/** Tools on this PATH only; no login shell (an empty SHELL), so this machine's own tools do not count. */
const toolEnv = { PATH: `${bin}:/usr/bin:/bin`, SHELL: '' };

/** The CLI with `input` piped to its stdin, as `echo VALUE | photon ...` does. */
function photonWithInput(args: readonly string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return run(process.execPath, [photonBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, input });
}

beforeAll(() => {
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const name of ['claude', 'codex']) symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', name), join(bin, name));
});
afterAll(() => temp.cleanup());

describe('photon tools', () => {
  it('shows each tool as installed or missing, with version and path, and what to fix', async () => {
    const result = await photon(['tools', '--data-dir', temp.dataDir], { env: toolEnv });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^TOOL +STATUS +VERSION +ACP +PATH$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^claude-code +ok +2\\.1\\.329 +missing +${bin}/claude$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^codex +ok +0\\.171\\.0 +missing +${bin}/codex$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^gemini +missing +- +missing +-$/));
    expect(lines).toContainEqual(expect.stringMatching(/^aider +missing +- +- +-$/));
    expect(result.stdout).toContain('ACP sessions (structured, with approvals): claude-code: npm install -g @zed-industries/claude-agent-acp; codex: npm install -g @zed-industries/codex-acp; gemini: npm install -g @google/gemini-cli');
    expect(result.stdout).toContain('gemini: Gemini CLI is not installed: no "gemini" on the login shell\'s PATH');
  });

  it('prints the detections as JSON', async () => {
    const result = await photon(['tools', '--json', '--data-dir', temp.dataDir], { env: { ...toolEnv, PHOTON_STANDIN_VERSION: '0.2.0' } });
    const tools = JSON.parse(result.stdout) as { platform: string; installed: boolean; tooOld: boolean; version: string | null }[];
    expect(tools.map((t) => t.platform)).toEqual(['shell', 'claude-code', 'zai', 'codex', 'gemini', 'agy', 'cursor', 'aider']);
    expect(tools.find((t) => t.platform === 'claude-code')).toMatchObject({ installed: true, version: '0.2.0', tooOld: true });
    expect(tools.find((t) => t.platform === 'aider')).toMatchObject({ installed: false });
  });
});

describe('photon agents', () => {
  it('says how to add one when there are none', async () => {
    const result = await photon(['agents', '--data-dir', join(temp.dir, 'empty')], { env: toolEnv });
    expect(result).toMatchObject({ code: 0, stdout: "No agents yet. Add one on the app's Agents page.\n" });
  });

  it('lists the saved agents with their tool, model and status, as a table or JSON', async () => {
    const dataDir = join(temp.dir, 'agents');
    const engine = await createEngine({ dataDir, host: 'cli', loginShell: false });
    await engine.call('agents.save', { agent: { id: 'reviewer', name: 'Code reviewer', tool: 'claude-code', model: 'claude-sonnet-4-5' } });
    await engine.call('agents.save', { agent: { id: 'writer', name: 'Docs writer', tool: 'gemini' } });
    await engine.close();

    const result = await photon(['agents', '--data-dir', dataDir], { env: toolEnv });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^AGENT +TOOL +MODEL +STATUS +STEPS +SUCCESS +AVG +COST +TOKENS IN\/OUT +NAME$/);
    expect(lines[1]).toMatch(/^reviewer +claude-code +claude-sonnet-4-5 +idle +0 +- +- +- +0\/0 +Code reviewer$/);
    expect(lines[2]).toMatch(/^writer +gemini +- +unavailable +0 +- +- +- +0\/0 +Docs writer$/);
    expect(result.stdout).toMatch(/\nwriter: unavailable: Gemini CLI is not installed: no "gemini" on the login shell's PATH/);

    const json = JSON.parse((await photon(['agents', '--json', '--data-dir', dataDir], { env: toolEnv })).stdout) as { id: string; stats: { status: string } }[];
    expect(json.map((a) => [a.id, a.stats.status])).toEqual([
      ['reviewer', 'idle'],
      ['writer', 'unavailable'],
    ]);
  });
});

describe('photon secrets', () => {
  it('refuses a value on the command line, saying why, and stores nothing', async () => {
    const result = await photon(['secrets', 'set', 'CLI_ARGV_KEY', 'sk-typed-on-the-command-line', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^photon secrets: a secret's value is never taken from the command line \(it stays in your shell history/);
    if (keychainReady) expect(await createKeychain().get('CLI_ARGV_KEY')).toBeNull();
  });

  it('refuses an empty value', async () => {
    const result = await photonWithInput(['secrets', 'set', 'EMPTY_KEY', '--data-dir', temp.dataDir], '\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no value for EMPTY_KEY: pipe it in');
  });

  it('refuses an unknown action or a bad name before asking for any value', async () => {
    expect(await photon(['secrets', 'show', 'X'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown action "show": photon secrets list \| set NAME \| delete NAME/) });
    expect(await photon(['secrets', 'set', 'has space'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/secret name "has space": use letters, digits/) });
    expect(await photon(['secrets', 'delete'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing NAME/) });
  });

  it('says what to install when there is no keychain', async () => {
    const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/photon-test-bus', DISPLAY: '' };
    const list = await photon(['secrets', 'list', '--data-dir', temp.dataDir], { env: noBus });
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^photon secrets: No OS keychain \(Secret Service\) is available in this session\. Install and start one, e\.g\. `sudo apt install gnome-keyring`/);
    const set = await photonWithInput(['secrets', 'set', 'NO_BUS_KEY', '--data-dir', temp.dataDir], 'a-value\n', noBus);
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/Photon never stores secrets in plain text/);
  });

  describe.skipIf(!keychainReady)('with a keychain (run through scripts/run-tests.js)', () => {
    const keychain = createKeychain();

    afterAll(async () => {
      for (const name of ['CLI_PIPED_KEY', 'CLI_TYPED_KEY']) await keychain.delete(name);
    });

    it('stores a piped value, lists names only, and deletes it', async () => {
      const value = 'sk-piped-value-7c1e';
      const piped = await photonWithInput(['secrets', 'set', 'CLI_PIPED_KEY', '--data-dir', temp.dataDir], `${value}\n`);
      expect(piped).toMatchObject({ code: 0, stdout: 'Stored CLI_PIPED_KEY in the keychain.\n' });
      // One trailing newline is the pipe's, not the value's.
      expect(await keychain.get('CLI_PIPED_KEY')).toBe(value);

      const list = await photon(['secrets', 'list', '--data-dir', temp.dataDir]);
      expect(list.code).toBe(0);
      expect(list.stdout.split('\n')).toContain('CLI_PIPED_KEY');
      expect(list.stdout).not.toContain(value);
      const json = JSON.parse((await photon(['secrets', 'list', '--json', '--data-dir', temp.dataDir])).stdout) as { available: boolean; names: string[] };
      expect(json.available).toBe(true);
      expect(json.names).toContain('CLI_PIPED_KEY');

      expect(await photon(['secrets', 'delete', 'CLI_PIPED_KEY', '--data-dir', temp.dataDir])).toMatchObject({ code: 0, stdout: 'Deleted CLI_PIPED_KEY from the keychain.\n' });
      expect(await keychain.get('CLI_PIPED_KEY')).toBeNull();
      const again = await photon(['secrets', 'delete', 'CLI_PIPED_KEY', '--data-dir', temp.dataDir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('no secret "CLI_PIPED_KEY" in the keychain');
    });

    it('asks for the value on a terminal without echoing it', async () => {
      const value = 'sk-typed-value-44aa';
      const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
      const term = pty.spawn(process.execPath, [photonBin, 'secrets', 'set', 'CLI_TYPED_KEY', '--data-dir', temp.dataDir], { cols: 100, rows: 10, cwd: repoRoot, env });
      let screen = '';
      term.onData((data) => (screen += data));
      const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
      for (const deadline = Date.now() + 15_000; !screen.includes('typing is hidden') && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(screen).toContain('Value for CLI_TYPED_KEY (typing is hidden): ');
      term.write(`${value}x\x7f\r`);
      expect(await exited).toBe(0);
      expect(screen).toContain('Stored CLI_TYPED_KEY in the keychain.');
      expect(screen).not.toContain(value);
      expect(await keychain.get('CLI_TYPED_KEY')).toBe(value);
    });
  });
});
