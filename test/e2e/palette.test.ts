// Getting started and getting around, in Chromium against `photon serve` on a temporary data
// folder: the first launch's "New workflow" and bundled examples, the command palette over every
// action, workflow, run, agent and terminal (Ctrl+K, Ctrl+Shift+P), and the shortcuts list on `?`.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { node, drawnGraph } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });

/** Opens the palette with `keys`, types `text` and takes the first match with Enter. */
async function command(page: Page, text: string, keys = 'Control+k'): Promise<void> {
  await page.keyboard.press(keys);
  await palette(page).waitFor(ui);
  await palette(page).getByRole('combobox').fill(text);
  await page.keyboard.press('Enter');
  await palette(page).waitFor({ ...ui, state: 'hidden' });
}

describe('a first launch', () => {
  it('offers New workflow and the bundled examples, each one click from a canvas', async () => {
    const { context, page } = await harness.openApp();
    try {
      const examples = page.getByRole('region', { name: 'Start from an example' });
      await examples.waitFor(ui);
      await examples.getByRole('button', { name: 'Use the example “Diamond”' }).click();
      await page.getByRole('heading', { level: 1, name: 'Diamond' }).waitFor(ui);
      await expect.poll(() => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: ['1->2', '1->3', '2->4', '3->4'] });

      // The sidebar's New workflow: one step to start from, a name no other workflow has.
      const sidebar = page.getByRole('navigation', { name: 'Workflows and runs' });
      await sidebar.getByRole('button', { name: 'New workflow', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor(ui);
      await node(page, 1).waitFor(ui);
      await sidebar.getByRole('button', { name: 'New workflow', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'New workflow 2' }).waitFor(ui);
      expect(await sidebar.getByRole('link').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Diamond'), expect.stringContaining('New workflow 2')]));

      // Home says how to start once there are workflows too.
      await page.goto(`${harness.server.url}#/`);
      await page.getByRole('heading', { level: 1, name: 'Photon' }).waitFor(ui);
      await page.getByRole('main').getByRole('button', { name: 'New workflow', exact: true }).waitFor(ui);
    } finally {
      await context.close();
    }
  });
});

describe('the command palette', () => {
  it('reaches every action, workflow, run, agent and terminal by typing', async () => {
    await callServer(harness.server, 'agents.save', { agent: { id: 'nightly-reviewer', name: 'Nightly reviewer', tool: 'shell' } });
    const { id: workflowId } = (await callServer(harness.server, 'workflows.save', {
      workflow: { name: 'Release notes', workflow: [{ step: 1, label: 'Collect', platform: 'shell', inputs: { command: 'echo notes' } }] },
    })) as { id: string };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflowId })) as { runId: string };
    const { context, page } = await harness.openApp();
    try {
      // An action, from Ctrl+Shift+P as well as Ctrl+K.
      await command(page, 'go to dashboard', 'Control+Shift+P');
      await page.waitForURL(/#\/dashboard$/, ui);

      // A workflow by name.
      await command(page, 'release notes');
      await page.getByRole('heading', { level: 1, name: 'Release notes' }).waitFor(ui);

      // A run by its id.
      await command(page, runId);
      await page.waitForURL(new RegExp(`#/runs/${runId}$`), ui);

      // An agent: its panel on the Agents page.
      await command(page, 'nightly reviewer');
      await page.waitForURL(/#\/agents$/, ui);
      await page.getByRole('heading', { level: 3, name: 'Nightly reviewer' }).waitFor(ui);
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), ui).toBe('Nightly reviewer');

      // A terminal: New terminal from the palette, then back to its tab from another.
      await command(page, 'new terminal');
      await page.getByRole('dialog', { name: /New terminal/ }).getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByRole('tab').first().waitFor(ui);
      // The new terminal has the keyboard, where Ctrl+K belongs to the shell: Ctrl+Shift+P still opens the palette.
      await command(page, 'new terminal', 'Control+Shift+P');
      await page.getByRole('dialog', { name: /New terminal/ }).getByRole('button', { name: 'Open', exact: true }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(2);
      const tabs = page.getByRole('tab');
      await tabs.nth(0).click();
      await page.keyboard.press('Control+Shift+P');
      await palette(page).waitFor(ui);
      await palette(page).getByRole('combobox').fill('terminal');
      const terminalOptions = palette(page).getByRole('option').filter({ hasText: /^Terminal/ });
      await expect.poll(() => terminalOptions.count(), ui).toBe(2);
      await terminalOptions.nth(1).click();
      await expect.poll(() => tabs.nth(1).getAttribute('aria-selected'), ui).toBe('true');

      // The chosen terminal has the keyboard.
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.terminal-view')?.id), ui).toBe(await tabs.nth(1).getAttribute('aria-controls'));

      // Nothing found says so; Escape closes and leaves the page as it was.
      await page.keyboard.press('Control+Shift+P');
      await palette(page).getByRole('combobox').fill('zzzz no such thing');
      await palette(page).getByText('Nothing matches').waitFor(ui);
      await page.keyboard.press('Escape');
      await palette(page).waitFor({ ...ui, state: 'hidden' });
      expect(page.url()).toMatch(/#\/agents$/);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('takes what is typed right after Ctrl+K, and Enter runs the first match', async () => {
    const { context, page } = await harness.openApp();
    try {
      for (const [text, route] of [
        ['go to approvals', /#\/approvals$/],
        ['go to dashboard', /#\/dashboard$/],
      ] as const) {
        await page.keyboard.press('Control+k');
        await palette(page).waitFor(ui);
        // Typed as a person types, into whatever has the keyboard: no click into the search first.
        await page.keyboard.type(text);
        expect(await palette(page).getByRole('combobox').inputValue()).toBe(text);
        await page.keyboard.press('Enter');
        await page.waitForURL(route, ui);
      }
    } finally {
      await context.close();
    }
  });

  it('gives the keyboard back to what opened it when Escape closes the palette or a dialog', async () => {
    const { context, page } = await harness.openApp();
    try {
      const opener = page.getByRole('button', { name: 'New terminal' });
      const openerHasFocus = () => opener.evaluate((button) => button === document.activeElement);

      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.waitFor(ui);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ ...ui, state: 'hidden' });
      expect(await openerHasFocus()).toBe(true);

      await page.keyboard.press('Control+k');
      await palette(page).waitFor(ui);
      await page.keyboard.press('Escape');
      await palette(page).waitFor({ ...ui, state: 'hidden' });
      expect(await openerHasFocus()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('skips past the sidebar to the page with the first Tab', async () => {
    for (const name of ['First', 'Second', 'Third']) {
      await callServer(harness.server, 'workflows.save', { workflow: { name: `${name} of many`, workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] } });
    }
    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('navigation').getByRole('link', { name: /Third of many/ }).waitFor(ui);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('button', { name: 'Skip to the page' });
      expect(await skip.evaluate((button) => button === document.activeElement)).toBe(true);
      // Seen when it has the keyboard: inside the window, not off its top.
      expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
      await page.keyboard.press('Enter');
      const title = page.getByRole('heading', { level: 1, name: 'Photon' });
      expect(await title.evaluate((heading) => heading === document.activeElement)).toBe(true);
      // The next Tab is the page's own first control, not the sidebar's.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('shows every shortcut on ?, but not while typing in a field', async () => {
    const { context, page } = await harness.openApp();
    try {
      await page.locator('body').press('?');
      const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await shortcuts.waitFor(ui);
      for (const what of ['Open the command palette', 'Redo', 'Clear the selection', 'Go to step N', 'Find in the scrollback']) {
        await shortcuts.getByText(what, { exact: false }).first().waitFor(ui);
      }
      await page.keyboard.press('Escape');
      await shortcuts.waitFor({ ...ui, state: 'hidden' });

      // A question mark typed into the palette's search is text, not a shortcut.
      await page.keyboard.press('Control+k');
      await palette(page).getByRole('combobox').pressSequentially('what?');
      expect(await palette(page).getByRole('combobox').inputValue()).toBe('what?');
      expect(await shortcuts.isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});
