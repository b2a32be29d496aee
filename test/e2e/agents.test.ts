// The Agents page end to end: `photon serve` with the stand-in AI CLIs of test/fixtures/tools on
// its PATH, Chromium driving the UI. Under `node scripts/run-tests.js` the server inherits a
// private D-Bus session with an unlocked gnome-keyring, so secrets go to a real Secret Service;
// anywhere else the server gets a D-Bus address that leads nowhere, and the page must say so.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/photon-server.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

const keychainReady = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';

const sandbox = mkdtempSync(join(tmpdir(), 'photon-agents-e2e-'));
const bin = join(sandbox, 'bin');
const home = join(sandbox, 'home');
const work = join(sandbox, 'work');
const standInLog = join(sandbox, 'stand-ins.log');
for (const dir of [bin, home, work]) mkdirSync(dir);
// Aider is left off the PATH at first: "Detect again" must find it once it is there.
for (const name of ['claude', 'codex', 'gemini']) symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', name), join(bin, name));

const harness = useUiHarness({
  env: {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    SHELL: existsSync('/bin/bash') ? '/bin/bash' : process.env.SHELL,
    PHOTON_STANDIN_LOG: standInLog,
    // Slow enough that a step's agent is seen busy (three events, about three seconds).
    PHOTON_STANDIN_DELAY_MS: '1000',
    // Stands for a stored login, so Claude Code steps run without a key.
    PHOTON_STANDIN_LOGGED_IN: '1',
    // Without the private keyring, a bus address that leads nowhere: never the user's own keychain.
    ...(keychainReady ? {} : { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(sandbox, 'no-bus')}` }),
  },
});

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

interface StandInRun {
  tool: string;
  argv: string[];
  cwd: string;
  env: Record<string, string | { set: boolean; sha256: string }>;
}

function standInRuns(): StandInRun[] {
  if (!existsSync(standInLog)) return [];
  return readFileSync(standInLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StandInRun);
}

/** The text in the shown terminal's buffer ('' while none is shown). */
function shownTerminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector('.terminal-view:not([hidden]) .terminal-surface') as (HTMLElement & { photonTerminal?: { text(): string } }) | null;
    return element?.photonTerminal?.text() ?? '';
  });
}

async function openAgentsPage() {
  const opened = await harness.openApp();
  await opened.page.getByRole('link', { name: 'Agents', exact: true }).click();
  await opened.page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor(ui);
  return opened;
}

/** Fills the New agent form with a name, the Claude Code stand-in and a model, and creates it. */
async function createAgent(page: Page, name: string, model: string) {
  await page.getByRole('button', { name: 'New agent' }).click();
  const form = page.getByRole('dialog', { name: 'New agent' });
  await form.waitFor(ui);
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Tool', { exact: true }).selectOption('claude-code');
  await form.getByLabel('Model', { exact: true }).fill(model);
  await form.getByRole('button', { name: 'Create agent' }).click();
  await form.waitFor({ state: 'hidden', ...ui });
  const panel = page.getByRole('region', { name });
  await panel.waitFor(ui);
  return panel;
}

describe('Agents page in the browser', () => {
  it('shows the detected tools with path and version, and finds a tool installed since with Detect again', async () => {
    const { context, page } = await openAgentsPage();
    try {
      const claude = page.locator('tr[data-platform="claude-code"]');
      await claude.waitFor(ui);
      expect(await claude.getByRole('rowheader').textContent()).toMatch(/^Claude Codeclaude-code/);
      const cells = await claude.getByRole('cell').allTextContents();
      // Installed, and (where Photon runs as root, as in this container) the mode it refuses there.
      const root = process.getuid?.() === 0;
      expect(cells[0]).toBe(root ? '✓InstalledPhoton runs as root here: Claude Code refuses the "full" autonomy mode (bypassPermissions) as root, so agents in that mode fail; use "auto-edit".' : '✓Installed');
      expect(cells[1]).toBe('2.1.329');
      expect(cells[2]).toBe('1.0.0');
      expect(cells[3]).toBe(join(bin, 'claude'));
      expect(cells[4]).toContain('JSON output');

      const aider = page.locator('tr[data-platform="aider"]');
      const aiderStatus = async () => (await aider.getByRole('cell').allTextContents())[0];
      expect(await aiderStatus()).toMatch(/^✕Not installedAider is not installed: no "aider" on the login shell's PATH/);

      symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'aider'), join(bin, 'aider'));
      await page.getByRole('button', { name: 'Detect again' }).click();
      await expect.poll(aiderStatus, ui).toBe('✓Installed');
      expect((await aider.getByRole('cell').allTextContents())[3]).toBe(join(bin, 'aider'));
      await page.getByRole('button', { name: 'Detect again' }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('creates an agent with the form, follows a step it runs on its panel, opens its tool in a terminal and deletes it', async () => {
    const { context, page } = await openAgentsPage();
    try {
      await page.getByText('No agents yet.').waitFor(ui);
      await page.getByRole('button', { name: 'New agent' }).click();
      const form = page.getByRole('dialog', { name: 'New agent' });
      await form.waitFor(ui);

      // The id follows the name until typed; a wrong one is named on its field as the user types.
      await form.getByLabel('Name', { exact: true }).fill('Code reviewer');
      const id = form.getByLabel('Id', { exact: true });
      expect(await id.inputValue()).toBe('code-reviewer');
      await id.fill('code reviewer');
      await form.getByText('use letters, digits, dot, dash or underscore (up to 64)').waitFor(ui);
      expect(await id.getAttribute('aria-invalid')).toBe('true');
      await id.fill('code-reviewer');
      await form.getByText('use letters, digits, dot, dash or underscore (up to 64)').waitFor({ state: 'detached', ...ui });

      const tool = form.getByLabel('Tool', { exact: true });
      expect(await tool.locator('option[value="claude-code"]').textContent()).toBe('Claude Code — 2.1.329');
      expect(await tool.locator('option[value="cursor"]').textContent()).toBe('Cursor agent — not installed');
      await tool.selectOption('claude-code');
      // Before anything is saved, the form says where the tool reads its key, and that it refuses Full as root.
      await form.getByText(/Reads its key from ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN/).waitFor(ui);
      // Two sentences in one line: where the tool was found, then where it reads its key.
      await form.getByText(/^Found at \S+claude\. Reads its key from /).waitFor(ui);
      await form.getByText('Claude Code refuses "Full" (bypassPermissions) when it runs as root, as in many containers.').waitFor(ui);
      await form.getByLabel('Model', { exact: true }).fill('claude-sonnet-4-5');
      await form.getByLabel('Default working folder', { exact: true }).fill(work);
      await form.getByLabel('Capabilities', { exact: true }).fill('code-review');
      await form.getByLabel('Capabilities', { exact: true }).press('Enter');
      await form.getByRole('button', { name: 'Remove capability code-review' }).waitFor(ui);
      await form.getByLabel('Autonomy', { exact: true }).selectOption('auto-edit');
      await form.getByRole('button', { name: 'Add variable' }).click();
      await form.getByLabel('Variable name, row 1').fill('CLAUDE_CODE_MAX_OUTPUT_TOKENS');
      await form.getByLabel('Value of CLAUDE_CODE_MAX_OUTPUT_TOKENS').fill('8000');
      await form.getByLabel('Max concurrent steps', { exact: true }).fill('0');
      await form.getByText('a whole number from 1 to 64').waitFor(ui);
      await form.getByLabel('Max concurrent steps', { exact: true }).fill('2');
      await form.getByRole('button', { name: 'Create agent' }).click();
      await form.waitFor({ state: 'hidden', ...ui });

      const panel = page.getByRole('region', { name: 'Code reviewer' });
      await panel.waitFor(ui);
      await panel.getByText('Idle', { exact: true }).waitFor(ui);
      const text = await panel.textContent();
      for (const fact of ['code-reviewer', 'Claude Code', 'claude-sonnet-4-5', 'edits without asking', 'code-review', 'up to 2 steps at once', work, 'Steps done0', 'Success rate—', 'Cost$0.00', 'Tokens0 in · 0 out']) {
        expect(text).toContain(fact);
      }

      // Saved in the engine: still there after a reload.
      await page.reload();
      await page.getByRole('region', { name: 'Code reviewer' }).getByText('Idle', { exact: true }).waitFor(ui);

      // A new agent may not take a saved one's id (saving would replace it).
      await page.getByRole('button', { name: 'New agent' }).click();
      const second = page.getByRole('dialog', { name: 'New agent' });
      await second.getByLabel('Name', { exact: true }).fill('Code reviewer');
      await second.getByText('an agent "code-reviewer" exists already: pick another id, or edit that agent').waitFor(ui);
      await second.getByRole('button', { name: 'Cancel' }).click();
      await second.waitFor({ state: 'hidden', ...ui });

      // Its tool in the dock, in the agent's folder, with its model and environment.
      const runsBefore = standInRuns().length;
      await page.getByRole('region', { name: 'Code reviewer' }).getByRole('button', { name: 'Open in terminal' }).click();
      const tab = page.getByRole('tab', { selected: true });
      await expect.poll(() => tab.textContent(), ui).toMatch(/^Code reviewer · work/);
      await expect.poll(() => shownTerminalText(page), ui).toContain('claude stand-in: the interactive session is not emulated; use -p');
      await expect.poll(() => tab.textContent(), ui).toContain('exit 1');
      const run = standInRuns().slice(runsBefore).at(-1)!;
      expect(run.tool).toBe('claude');
      expect(run.argv).toEqual(['--model', 'claude-sonnet-4-5']);
      expect(run.cwd).toBe(work);
      expect(run.env.CLAUDE_CODE_MAX_OUTPUT_TOKENS).toBe('8000');

      // A step run by the agent, started from another window: the panel follows it live.
      const workflow = {
        name: 'Agent review',
        workflow: [{ step: 1, label: 'Review', platform: 'claude-code', agent: 'code-reviewer', inputs: { prompt: 'review the last commit' } }],
      };
      const other = await context.newPage();
      await other.goto(harness.server.url);
      await other.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, 'agent-review.json', workflow));
      await other.getByRole('heading', { level: 1, name: 'Agent review' }).waitFor(ui);
      await other.getByRole('button', { name: 'Run workflow' }).click();
      await other.waitForURL(/#\/runs\/[\w-]+$/, ui);
      const runId = decodeURIComponent(other.url().split('/').pop()!);

      const reviewer = page.getByRole('region', { name: 'Code reviewer' });
      await reviewer.getByText('Busy', { exact: true }).waitFor(ui);
      const running = reviewer.getByRole('link', { name: 'Step 1 of “Agent review”' });
      await running.waitFor(ui);
      expect(await running.getAttribute('href')).toBe(`#/runs/${encodeURIComponent(runId)}`);
      await reviewer.getByText('Idle', { exact: true }).waitFor(ui);
      const record = await reviewer.textContent();
      // The stand-in's main loop reads 1,200 input tokens plus 800 from and 100 to the cache, its session title 150 more.
      for (const fact of ['Steps done1', 'Success rate100 % (1 of 1)', 'Cost$0.0123', 'Tokens2,250 in · 350 out']) expect(record).toContain(fact);
      expect(record).not.toContain('Average duration—');
      // The run page says the same of the step, the cached tokens apart, with its session.
      const facts = other.locator(`#run-step-1 .step-fact`);
      await expect.poll(() => facts.allTextContents(), ui).toEqual(expect.arrayContaining(['Cost $0.0123', 'Tokens 2.3k in (800 from cache, 100 to cache), 350 out']));
      expect((await facts.allTextContents()).some((fact) => /^Session [0-9a-f-]{36}$/.test(fact))).toBe(true);
      await other.close();

      // Deleting asks first, and Cancel keeps it.
      await page.getByRole('button', { name: 'Delete agent Code reviewer' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete agent “Code reviewer”?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden', ...ui });
      await page.getByRole('button', { name: 'Delete agent Code reviewer' }).click();
      await confirm.getByRole('button', { name: 'Delete agent' }).click();
      await page.getByRole('region', { name: 'Code reviewer' }).waitFor({ state: 'detached', ...ui });
      await page.getByText('No agents yet.').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 120_000);

  it.runIf(keychainReady)('sets a secret that the page lists by name only, hands it to an agent’s tool, and deletes it', async () => {
    const { context, page } = await openAgentsPage();
    try {
      // Every WebSocket frame of a fresh connection, to prove the value travels once, to the engine, and never back.
      const received: string[] = [];
      const sent: string[] = [];
      page.on('websocket', (socket) => {
        socket.on('framereceived', (frame) => received.push(String(frame.payload)));
        socket.on('framesent', (frame) => sent.push(String(frame.payload)));
      });
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor(ui);

      const value = `sk-ant-e2e-${randomUUID()}`;
      const secrets = page.getByRole('region', { name: 'Secrets' });
      await secrets.getByText('No secrets yet.').waitFor(ui);
      const form = secrets.getByRole('form', { name: 'Set a secret' });
      await form.getByLabel('Name', { exact: true }).fill('e2e anthropic');
      await form.getByText('use letters, digits, dot, dash or underscore (up to 128)').waitFor(ui);
      await form.getByLabel('Name', { exact: true }).fill('e2e-anthropic');
      await form.getByLabel('Value', { exact: true }).fill(value);
      await form.getByRole('button', { name: 'Save secret' }).click();

      await secrets.getByRole('list', { name: 'Secrets in the keychain' }).getByText('e2e-anthropic', { exact: true }).waitFor(ui);
      await secrets.getByText('Saved “e2e-anthropic” in the keychain.').waitFor(ui);
      expect(await form.getByLabel('Value', { exact: true }).inputValue()).toBe('');
      expect(await page.content()).not.toContain(value);
      expect(await page.evaluate(() => [...document.querySelectorAll('input')].map((input) => input.value).join('\n'))).not.toContain(value);

      // An agent that fills ANTHROPIC_API_KEY from it, set up by editing the agent.
      const panel = await createAgent(page, 'Keyed Claude', 'claude-opus-4-1');
      await panel.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit agent “Keyed Claude”' });
      await edit.getByRole('button', { name: 'Add secret' }).click();
      await edit.getByLabel('Secret, row 1').selectOption('e2e-anthropic');
      await edit.getByLabel('Variable filled by e2e-anthropic').fill('ANTHROPIC_API_KEY');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden', ...ui });

      const runsBefore = standInRuns().length;
      await panel.getByRole('button', { name: 'Open in terminal' }).click();
      await expect.poll(() => shownTerminalText(page), ui).toContain('claude stand-in: the interactive session is not emulated; use -p');
      await expect.poll(() => standInRuns().length, ui).toBeGreaterThan(runsBefore);
      const run = standInRuns().at(-1)!;
      expect(run.argv).toEqual(['--model', 'claude-opus-4-1']);
      expect(run.env.ANTHROPIC_API_KEY).toEqual({ set: true, sha256: createHash('sha256').update(value).digest('hex') });

      // Deleting asks first; the name goes from the list.
      await secrets.getByRole('button', { name: 'Delete secret e2e-anthropic' }).click();
      await page.getByRole('dialog', { name: 'Delete secret “e2e-anthropic”?' }).getByRole('button', { name: 'Delete secret' }).click();
      await secrets.getByText('No secrets yet.').waitFor(ui);

      expect(await page.content()).not.toContain(value);
      expect(received.filter((frame) => frame.includes(value))).toEqual([]);
      const carrying = sent.filter((frame) => frame.includes(value)).map((frame) => (JSON.parse(frame) as { method: string }).method);
      expect(carrying).toEqual(['secrets.set']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it.skipIf(keychainReady)('says prominently why secrets cannot be set when no keychain is reachable', async () => {
    const { context, page } = await openAgentsPage();
    try {
      const secrets = page.getByRole('region', { name: 'Secrets' });
      const alert = secrets.getByRole('alert');
      await alert.waitFor(ui);
      expect(await alert.textContent()).toMatch(/No keychain available: secrets cannot be set\..*gnome-keyring/s);
      const form = secrets.getByRole('form', { name: 'Set a secret' });
      expect(await form.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
      expect(await form.getByLabel('Value', { exact: true }).isDisabled()).toBe(true);
      expect(await form.getByRole('button', { name: 'Save secret' }).isDisabled()).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('opens an installed AI tool from the New terminal dialog, in the folder given', async () => {
    const { context, page } = await openAgentsPage();
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.waitFor(ui);
      const program = dialog.getByLabel('Open', { exact: true });
      await expect.poll(() => program.locator('option').allTextContents(), ui).toEqual(expect.arrayContaining(['Shell (default)', 'Claude Code', 'Codex', 'Gemini CLI']));
      expect(await program.locator('option').allTextContents()).not.toContain('Cursor agent');
      await dialog.getByLabel('Folder', { exact: true }).fill(work);
      await program.selectOption('codex');
      await dialog.getByRole('button', { name: 'Open Codex here' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });

      const tab = page.getByRole('tab', { selected: true });
      await expect.poll(() => tab.textContent(), ui).toMatch(/^Codex · work/);
      await expect.poll(() => shownTerminalText(page), ui).toContain('codex stand-in: the interactive TUI is not emulated; use `codex exec`');
      expect(await tab.getAttribute('title')).toBe(`Codex · work\n${work}`);
    } finally {
      await context.close();
    }
  }, 60_000);
});
