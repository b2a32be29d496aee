/**
 * A terminal with an AI tool ("Open <tool> here", an agent's terminal) gets its key and endpoint as
 * a step does. Codex 0.171 takes its endpoint from the config key openai_base_url (never
 * OPENAI_BASE_URL), and its interactive TUI reads no key from the environment at all (seen with
 * the real one: its sign-in screen), only $CODEX_HOME/auth.json; Gemini CLI 0.61 with a custom
 * endpoint needs settings that select the API key. Both get a home of the terminal's own. The
 * stand-ins log what they were given.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStandInSandbox, type StandInRun, type StandInSandbox } from './stand-in-engine.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The stand-in's log entry of the terminal's interactive session, once it has started. */
type InteractiveRun = StandInRun & { baseUrl?: string; authType?: string | null; login?: { authMode: string | null; keySha256: string | null } | null };

async function interactiveRun(sandbox: StandInSandbox, tool: string): Promise<InteractiveRun> {
  let found: StandInRun | undefined;
  await expect.poll(() => (found = sandbox.runs().find((run) => run.tool === tool && (run as { interactive?: boolean }).interactive)), { timeout: 20_000 }).toBeDefined();
  return found as InteractiveRun;
}

/** A pid no process has now: a folder named after it was left by an engine that is gone. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

describe("Codex in a terminal, with an agent's key and endpoint under the names a user stores", () => {
  const sandbox = useStandInSandbox('terminal-codex');

  it("signs in with the agent's key from a Codex home of the terminal's own, over the user's own login, at the endpoint from openai_base_url", async () => {
    const { engine, work, root, dataDir } = sandbox.current;
    // The user's own Codex: a ChatGPT login and a config, both left as they are.
    mkdirSync(join(root, '.codex'));
    const userLogin = JSON.stringify({ auth_mode: 'chatgpt', tokens: { access_token: 'user-own' } });
    writeFileSync(join(root, '.codex', 'auth.json'), userLogin);
    writeFileSync(join(root, '.codex', 'AGENTS.md'), 'Be brief.');
    await engine.call('agents.save', { agent: { id: 'codex-gw', name: 'Codex via gateway', tool: 'codex', model: 'gpt-5', env: { OPENAI_API_KEY: 'sk-agent-1', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } } });
    const terminal = await engine.call('terminals.create', { agentId: 'codex-gw', cwd: work });
    const run = await interactiveRun(sandbox.current, 'codex');
    expect(run.login).toEqual({ authMode: 'apikey', keySha256: sha256('sk-agent-1') });
    const home = run.env.CODEX_HOME as string;
    expect(home).toMatch(new RegExp(`^${dataDir}/terminals/${process.pid}-[0-9a-f]{8}/codex-home$`));
    expect(run.baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(run.argv).toEqual(['-c', 'openai_base_url="http://127.0.0.1:9/v1"', '--model', 'gpt-5']);
    // The title says the tool and model, not the endpoint's setting.
    expect(terminal.title).toBe(`Codex via gateway · ${work.split('/').pop()}`);
    // The key lived on disk only while the terminal ran; the user's files are as they were.
    await expect.poll(() => existsSync(home), { timeout: 20_000 }).toBe(false);
    expect(readFileSync(join(root, '.codex', 'auth.json'), 'utf8')).toBe(userLogin);
    expect(readFileSync(join(root, '.codex', 'AGENTS.md'), 'utf8')).toBe('Be brief.');
  });
});

describe("'Open Codex here' with the key and endpoint in the user's own environment", () => {
  const sandbox = useStandInSandbox('terminal-codex-shell', { env: { OPENAI_API_KEY: 'sk-from-shell', OPENAI_BASE_URL: 'http://127.0.0.1:9/shell/v1' } });

  it('signs in with that key when the user has no stored login, and maps the endpoint as for a step', async () => {
    await sandbox.current.engine.call('terminals.create', { tool: 'codex', cwd: sandbox.current.work });
    const run = await interactiveRun(sandbox.current, 'codex');
    expect(run.login).toEqual({ authMode: 'apikey', keySha256: sha256('sk-from-shell') });
    expect(run.baseUrl).toBe('http://127.0.0.1:9/shell/v1');
  });

  it("keeps the user's own stored login: a key in their environment does not replace it", async () => {
    const { engine, work, root } = sandbox.current;
    mkdirSync(join(root, '.codex'));
    writeFileSync(join(root, '.codex', 'auth.json'), JSON.stringify({ auth_mode: 'chatgpt' }));
    await engine.call('terminals.create', { tool: 'codex', cwd: work });
    const run = await interactiveRun(sandbox.current, 'codex');
    expect(run.env.CODEX_HOME).toBeUndefined();
    expect(run.login).toEqual({ authMode: 'chatgpt', keySha256: null });
  });
});

describe('Gemini CLI in a terminal with a custom endpoint', () => {
  const sandbox = useStandInSandbox('terminal-gemini');

  it("gets a Gemini home of its own selecting the API key, keeps the user's settings untouched, and the home goes when the terminal ends", async () => {
    const { engine, work, root, dataDir } = sandbox.current;
    mkdirSync(join(root, '.gemini'));
    const userSettings = JSON.stringify({ ui: { theme: 'GitHub' } });
    writeFileSync(join(root, '.gemini', 'settings.json'), userSettings);
    // Left by an engine that died while its terminal ran: removed when the next one opens.
    const leftover = join(dataDir, 'terminals', `${deadPid()}-0badf00d`);
    mkdirSync(join(leftover, 'gemini-home', '.gemini'), { recursive: true });
    await engine.call('agents.save', { agent: { id: 'gemini-gw', name: 'Gemini via gateway', tool: 'gemini', env: { GEMINI_API_KEY: 'g-agent-1', GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9/gateway' } } });
    await engine.call('terminals.create', { agentId: 'gemini-gw', cwd: work });
    const run = await interactiveRun(sandbox.current, 'gemini');
    // Without it, 0.61 picks "gateway" from GOOGLE_GEMINI_BASE_URL and cannot sign in.
    expect(run.authType).toBe('gemini-api-key');
    const home = run.env.GEMINI_CLI_HOME as string;
    expect(home).toMatch(new RegExp(`^${dataDir}/terminals/${process.pid}-[0-9a-f]{8}/gemini-home$`));
    expect(readFileSync(join(root, '.gemini', 'settings.json'), 'utf8')).toBe(userSettings);
    // The stand-in's interactive mode exits at once; the terminal's folder goes with it.
    await expect.poll(() => existsSync(home), { timeout: 20_000 }).toBe(false);
    expect(existsSync(leftover)).toBe(false);
  });
});
