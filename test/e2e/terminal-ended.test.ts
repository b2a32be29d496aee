// A terminal whose process has ended looks ended, in Chromium against `photon serve`: no cursor,
// a line saying how it ended, and keys that go nowhere; its output can still be searched and
// selected, and a reload shows it the same. The cursor is read from xterm's DOM renderer (chosen
// in localStorage, as the README says), where it is the cell with the class `xterm-cursor`.
import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cellPoint, openShell, screenRows, shownSurface, terminalSelection } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines as lines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';
const harness = useUiHarness();

const cursors = (page: Page) => page.locator(`${shownSurface} .xterm-rows .xterm-cursor`).count();

describe('a terminal whose shell exited', () => {
  it('shows no cursor, says how it ended, sends no keys, and keeps its output searchable and selectable', async () => {
    const { context, page } = await harness.openApp();
    const sent: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => void (typeof payload === 'string' && sent.push(payload))));
    try {
      await page.evaluate(() => localStorage.setItem('photon.terminals.renderer', 'dom'));
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      await openShell(page);
      // Spliced, so only the output line reads ended-marker.
      await typeInTerminal(page, 'echo ended""-marker\n');
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('ended-marker');
      await expect.poll(() => cursors(page), ui).toBe(1);

      const tab = page.getByRole('tab', { selected: true });
      const panel = page.getByRole('tabpanel');
      await typeInTerminal(page, 'exit 3\n');
      await expect.poll(() => tab.textContent(), ui).toContain('exit 3');
      await expect.poll(() => panel.getByRole('status').textContent(), ui).toBe('The process exited with code 3; the terminal takes no more input.');
      await expect.poll(() => cursors(page), ui).toBe(0);

      // Typed and pasted keys: none is sent. Opening another terminal afterwards sends a call,
      // and frames go in order, so any write the keys caused would be sent before it.
      const before = sent.length;
      await typeInTerminal(page, 'echo still-here\n');
      await page.keyboard.insertText('pasted');
      await page.keyboard.press('Control+c');
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => sent.slice(before).some((frame) => frame.includes('"terminals.create"')), ui).toBe(true);
      const afterKeys = sent.slice(before, sent.findIndex((frame, at) => at >= before && frame.includes('"terminals.create"')));
      expect(afterKeys.filter((frame) => frame.includes('"terminals.write"'))).toEqual([]);
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(2);

      // Back to the ended one: after a reload too, still no cursor; its output is found and selected.
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      await page.getByRole('tab', { name: /exit 3/ }).click();
      await expect.poll(async () => lines(await shownTerminalText(page)), ui).toContain('ended-marker');
      await expect.poll(() => page.getByRole('tabpanel').getByRole('status').textContent(), ui).toContain('exited with code 3');
      await expect.poll(() => cursors(page), ui).toBe(0);

      await page.locator(shownSurface).click();
      await page.keyboard.press('Control+f');
      await page.getByRole('searchbox', { name: 'Find in terminal' }).fill('ended-marker');
      await expect.poll(() => page.locator('.terminal-find-result').textContent(), ui).toBe('1 of 1');
      await page.keyboard.press('Escape');

      const row = (await screenRows(page)).findIndex((text) => text.trimEnd() === 'ended-marker');
      expect(row).toBeGreaterThanOrEqual(0);
      const { x, y } = await cellPoint(page, 1, row);
      await page.mouse.dblclick(x, y);
      await expect.poll(async () => (await terminalSelection(page))?.text, ui).toBe('ended-marker');
    } finally {
      await context.close();
    }
  }, 90_000);
});
