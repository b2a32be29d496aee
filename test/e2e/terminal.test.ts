// The terminal dock end to end: `photon serve` in a temporary data folder, Chromium driving the
// UI. Terminal text is read from xterm's buffer through the probe on its element.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openShell } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines as lines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

// `read -p` is bash's: steps and shells run in $SHELL, which the server inherits.
if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';

const harness = useUiHarness();
const openApp = () => harness.openApp();

describe('Terminal dock in the browser', () => {
  it('opens a shell, runs echo hello, and shows the scrollback again after a reload', async () => {
    const { context, page } = await openApp();
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.waitFor(ui);
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });

      const tab = page.getByRole('tab', { selected: true });
      await tab.waitFor(ui);
      await expect.poll(() => tab.textContent(), ui).toContain('running');
      // The shell's prompt, then our command and its answer on a line of its own.
      await expect.poll(() => shownTerminalText(page), ui).not.toBe('');
      await typeInTerminal(page, 'echo hello\n');
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('hello');
      const renderer = await page.locator('.terminal-view:not([hidden]) .terminal-surface').getAttribute('data-renderer');
      expect(['webgl', 'dom']).toContain(renderer);

      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      await page.getByRole('tab', { selected: true }).waitFor(ui);
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('hello');
      // Still live after the reload: input reaches the same shell.
      await typeInTerminal(page, 'echo again-$((40+2))\n');
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('again-42');

      // Closing the tab closes the user's terminal in the engine.
      await page.getByRole('button', { name: /^Close / }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('answers a step that asks for input from its terminal, opened from the run view', async () => {
    const { context, page } = await openApp();
    try {
      const workflow = {
        name: 'Ask a name',
        workflow: [{ step: 1, label: 'Greet', platform: 'shell', inputs: { command: 'read -p "name? " n; echo "hi $n"' } }],
      };
      await page.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, 'ask.json', workflow));
      await page.getByRole('heading', { level: 1, name: 'Ask a name' }).waitFor(ui);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);

      const step = page.getByRole('region', { name: 'Step 1: Greet' });
      await step.getByText('Running', { exact: true }).waitFor(ui);
      await step.getByRole('button', { name: 'Terminal' }).click();
      const tab = page.getByRole('tab', { selected: true });
      await expect.poll(() => tab.textContent(), ui).toMatch(/Step 1 · attempt 1.*running/);
      await expect.poll(() => shownTerminalText(page), ui).toContain('name? ');

      await typeInTerminal(page, 'Ada\n');
      await step.getByText('Succeeded', { exact: true }).waitFor(ui);
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 1' }).textContent(), ui).toContain('hi Ada');
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('hi Ada');
      await expect.poll(() => tab.textContent(), ui).toContain('exit 0');

      // Closing a step's tab only stops watching it.
      await page.getByRole('button', { name: /^Close Step 1/ }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('uses the DOM renderer when the user chose it in localStorage, whatever the GPU', async () => {
    const surface = '.terminal-view:not([hidden]) .terminal-surface';
    const rendererOf = async (chosen: string | null) => {
      const { context, page } = await openApp();
      try {
        if (chosen !== null) {
          await page.evaluate((value) => localStorage.setItem('photon.terminals.renderer', value), chosen);
          // Read once per page load, as the README says: the choice applies from the next one.
          await page.reload();
          await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
        }
        await openShell(page);
        const element = page.locator(surface);
        await expect.poll(() => element.getAttribute('data-renderer'), ui).not.toBeNull();
        return { renderer: await element.getAttribute('data-renderer'), reason: await element.getAttribute('data-renderer-reason') };
      } finally {
        await context.close();
      }
    };
    expect(await rendererOf('dom')).toEqual({ renderer: 'dom', reason: 'chosen' });
    // Left to decide, it goes by the hardware (here a software GPU or none): never "chosen".
    const own = await rendererOf(null);
    expect(own.reason).not.toBe('chosen');
    expect(['webgl', 'dom']).toContain(own.renderer);
  }, 60_000);

  it('lets a terminal run on at full output once the window that showed it closes', async () => {
    const dir = mkdtempSync(join(harness.filesDir, 'flood-'));
    const { context, page } = await openApp();
    try {
      await openShell(page);
      // Once told to go, about 2 MB of output: four times what flow control lets a window fall
      // behind, so a closed window that still counted would pause the shell long before `done`.
      await typeInTerminal(page, `touch ${dir}/waiting; while [ ! -e ${dir}/go ]; do sleep 0.1; done; seq 1 300000; touch ${dir}/done\n`);
      await expect.poll(() => existsSync(join(dir, 'waiting')), ui).toBe(true);
    } finally {
      await context.close();
    }
    writeFileSync(join(dir, 'go'), '');
    await expect.poll(() => existsSync(join(dir, 'done')), { timeout: 60_000 }).toBe(true);
  }, 90_000);
});
