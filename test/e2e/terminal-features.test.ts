// What the terminal dock offers beyond input and output, in Chromium against `photon serve`:
// search in the scrollback, web links, copy and paste, font zoom, the app's colours and resizing
// the dock, and the question before a close would stop a program. Sizes are checked where the
// process sees them (`tput`), not only in xterm.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { askShell, cellPoint, openShell, screenRows, settledSize, terminalSelection, terminalSize } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

// The commands below are bash's; the server's shells run $SHELL.
if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';

// Its copy and paste go through the clipboard, which every profile of a Chromium shares.
const harness = useUiHarness({}, { ownBrowser: true });

const shown = '.terminal-view:not([hidden])';

/** Waits until a line equal to `text` is in the shown terminal's buffer. */
async function waitForLine(page: Page, text: string): Promise<void> {
  await expect.poll(async () => terminalLines(await shownTerminalText(page)), ui).toContain(text);
}

/** The colour a user sees at the middle of the shown terminal: the first opaque background from the element there upwards. */
function visibleBackground(page: Page): Promise<string> {
  return page.evaluate((selector) => {
    const host = document.querySelector(`${selector} .terminal-host`)!.getBoundingClientRect();
    let element: Element | null = document.elementFromPoint(host.left + host.width / 2, host.top + host.height / 2);
    for (; element; element = element.parentElement) {
      const colour = getComputedStyle(element).backgroundColor;
      if (colour !== 'transparent' && colour !== 'rgba(0, 0, 0, 0)') return colour;
    }
    return 'none';
  }, shown);
}

/** The app's terminal background for the current scheme, as the browser resolves the CSS variable. */
function appTerminalBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.backgroundColor = 'var(--terminal-bg)';
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
}

describe('Terminal features in the browser', () => {
  it('finds text in the scrollback, steps to the next and previous match, and says when nothing matches', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShell(page);
      // printf's arguments keep the typed command from containing the words searched for.
      await typeInTerminal(page, "printf '%s-%s\\n' needle alpha; seq 1 60; printf '%s-%s\\n' needle beta; seq 1 60; printf '%s-%s\\n' output done\n");
      // The last line printed, not the second match: only then have the 60 lines after it arrived.
      await waitForLine(page, 'output-done');
      // Both matches have scrolled out of view.
      expect((await screenRows(page)).some((row) => row.startsWith('needle-'))).toBe(false);

      await page.keyboard.press('Control+f');
      const find = page.getByRole('searchbox', { name: 'Find in terminal' });
      await find.waitFor(ui);
      await find.fill('needle-');
      await expect.poll(() => terminalSelection(page), ui).toMatchObject({ text: 'needle-', onScreen: true });
      const firstLine = (await terminalSelection(page))!.line;
      expect(['needle-alpha', 'needle-beta']).toContain(firstLine);
      const otherLine = firstLine === 'needle-alpha' ? 'needle-beta' : 'needle-alpha';

      await page.getByRole('button', { name: 'Next match' }).click();
      await expect.poll(async () => (await terminalSelection(page))?.line, ui).toBe(otherLine);
      expect((await terminalSelection(page))!.onScreen).toBe(true);
      expect(await screenRows(page)).toContain(otherLine);

      await page.getByRole('button', { name: 'Previous match' }).click();
      await expect.poll(async () => (await terminalSelection(page))?.line, ui).toBe(firstLine);
      expect(await screenRows(page)).toContain(firstLine);

      // Enter in the box goes to the next match, Shift+Enter back.
      await find.press('Enter');
      await expect.poll(async () => (await terminalSelection(page))?.line, ui).toBe(otherLine);
      await find.press('Shift+Enter');
      await expect.poll(async () => (await terminalSelection(page))?.line, ui).toBe(firstLine);

      await find.fill('needle-gamma');
      await page.getByRole('search').getByText('No match').waitFor(ui);

      await find.press('Escape');
      await find.waitFor({ state: 'hidden', ...ui });
      expect(await terminalSelection(page)).toBeNull();
      // Typing goes back to the shell.
      await page.keyboard.type('echo after-$((20+1))\n');
      await waitForLine(page, 'after-21');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('opens a clicked http(s) link outside the app, in a new tab without access back to Photon', async () => {
    const { context, page } = await harness.openApp();
    const requested: string[] = [];
    // The link's site answers from here: the test asserts the request, nothing leaves the machine.
    await context.route('https://docs.example.test/**', (route) => {
      requested.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>docs</title>' });
    });
    try {
      await openShell(page);
      await typeInTerminal(page, "printf 'see https://%s/guide?page=2 for more\\n' docs.example.test\n");
      const line = 'see https://docs.example.test/guide?page=2 for more';
      await waitForLine(page, line);
      const row = (await screenRows(page)).lastIndexOf(line);
      expect(row).toBeGreaterThanOrEqual(0);

      // Hovering makes it a link (pointer cursor); a click then opens it.
      const point = await cellPoint(page, 'see https://docs'.length, row);
      await page.mouse.move(point.x, point.y);
      await page.locator(`${shown} .xterm-screen.xterm-cursor-pointer`).waitFor(ui);
      const opened = context.waitForEvent('page', ui);
      await page.mouse.click(point.x, point.y);
      const tab = await opened;
      await tab.waitForLoadState('domcontentloaded');
      expect(tab.url()).toBe('https://docs.example.test/guide?page=2');
      expect(requested).toEqual(['https://docs.example.test/guide?page=2']);
      // noopener: the new tab cannot reach or navigate the app.
      expect(await tab.evaluate(() => window.opener)).toBeNull();
      // The app itself stayed where it was.
      expect(new URL(page.url()).origin).toBe(harness.server.origin);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('copies the selection with Ctrl+Shift+C and pastes into the process with Ctrl+Shift+V', async () => {
    const { context, page } = await harness.openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.server.origin });
    try {
      await openShell(page);
      await typeInTerminal(page, "printf '%s-%s\\n' copyme 4711\n");
      await waitForLine(page, 'copyme-4711');
      const row = (await screenRows(page)).lastIndexOf('copyme-4711');

      // A double-click selects the word, as in any terminal.
      const point = await cellPoint(page, 3, row);
      await page.mouse.dblclick(point.x, point.y);
      await expect.poll(async () => (await terminalSelection(page))?.text, ui).toBe('copyme-4711');
      await page.keyboard.press('Control+Shift+C');
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), ui).toBe('copyme-4711');
      // The copy shortcut sent nothing to the shell: its line is still empty.
      expect(terminalLines(await shownTerminalText(page)).at(-1)).toBe('PHOTON-TEST>');

      await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((6*7))'));
      await page.locator(`${shown} .terminal-surface`).click();
      await page.keyboard.press('Control+Shift+V');
      await expect.poll(async () => terminalLines(await shownTerminalText(page)).at(-1), ui).toBe('PHOTON-TEST> echo pasted-$((6*7))');
      await page.keyboard.press('Enter');
      // The shell ran what was pasted.
      await waitForLine(page, 'pasted-42');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('zooms the font with Ctrl+= and Ctrl+- and the process sees the re-fitted width', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShell(page);
      const start = await settledSize(page);
      expect(await askShell(page, 'cols', 'tput cols')).toBe(start.cols);

      await page.keyboard.press('Control+Equal');
      await page.keyboard.press('Control+Equal');
      await expect.poll(async () => (await terminalSize(page)).fontSize, ui).toBe(start.fontSize + 2);
      const larger = await settledSize(page);
      expect(larger.cols).toBeLessThan(start.cols);
      expect(await askShell(page, 'cols', 'tput cols')).toBe(larger.cols);

      await page.keyboard.press('Control+Minus');
      await page.keyboard.press('Control+Minus');
      await page.keyboard.press('Control+Minus');
      await expect.poll(async () => (await terminalSize(page)).fontSize, ui).toBe(start.fontSize - 1);
      const smaller = await settledSize(page);
      expect(smaller.cols).toBeGreaterThan(start.cols);
      expect(await askShell(page, 'cols', 'tput cols')).toBe(smaller.cols);

      await page.keyboard.press('Control+Digit0');
      await expect.poll(() => terminalSize(page), ui).toEqual(start);
      expect(await askShell(page, 'cols', 'tput cols')).toBe(start.cols);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("follows the app's light and dark colours", async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    try {
      await openShell(page);
      const light = await appTerminalBackground(page);
      await expect.poll(() => visibleBackground(page), ui).toBe(light);

      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await appTerminalBackground(page);
      expect(dark).not.toBe(light);
      await expect.poll(() => visibleBackground(page), ui).toBe(dark);

      await page.emulateMedia({ colorScheme: 'light' });
      await expect.poll(() => visibleBackground(page), ui).toBe(light);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("resizes with the dock's edge, and the process sees the new number of lines", async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShell(page);
      const before = await settledSize(page);
      expect(await askShell(page, 'lines', 'tput lines')).toBe(before.rows);

      const edge = await page.getByRole('separator', { name: 'Resize terminals' }).boundingBox();
      if (!edge) throw new Error('the dock has no resize edge');
      const x = edge.x + edge.width / 2;
      const y = edge.y + edge.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y - 100, { steps: 5 });
      await page.mouse.move(x, y - 200, { steps: 5 });
      await page.mouse.up();

      await expect.poll(async () => (await terminalSize(page)).rows, ui).toBeGreaterThan(before.rows + 5);
      const taller = await settledSize(page);
      expect(taller.cols).toBe(before.cols);
      expect(await askShell(page, 'lines', 'tput lines')).toBe(taller.rows);

      // And back down, below where it started.
      const moved = await page.getByRole('separator', { name: 'Resize terminals' }).boundingBox();
      await page.mouse.move(x, moved!.y + moved!.height / 2);
      await page.mouse.down();
      await page.mouse.move(x, moved!.y + 300, { steps: 10 });
      await page.mouse.up();
      await expect.poll(async () => (await terminalSize(page)).rows, ui).toBeLessThan(before.rows);
      expect(await askShell(page, 'lines', 'tput lines')).toBe((await settledSize(page)).rows);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('asks before closing a terminal whose shell runs a program, and closes an idle one at once', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShell(page);
      await typeInTerminal(page, 'sleep 300\n');
      // The engine samples each terminal's process tree once a second: the tab names the program
      // once the app has a sample with it running, the one the close question goes by.
      const program = page.getByRole('tab', { selected: true }).locator('.terminal-tab-program');
      await expect.poll(() => program.textContent(), ui).toBe('sleep');
      const questions: string[] = [];
      page.on('dialog', (dialog) => {
        questions.push(dialog.message());
        void dialog.dismiss();
      });
      await page.getByRole('button', { name: /^Close / }).click();
      await expect.poll(() => questions, ui).toEqual([expect.stringMatching(/^A program is still running in “.+”\. Close the terminal and stop it\?$/)]);
      // "Cancel" keeps the tab and the program.
      expect(await page.getByRole('tab').count()).toBe(1);

      await page.locator(`${shown} .terminal-surface`).click();
      await page.keyboard.press('Control+c');
      await program.waitFor({ ...ui, state: 'detached' });
      await page.getByRole('button', { name: /^Close / }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(0);
      expect(questions).toHaveLength(1);
    } finally {
      await context.close();
    }
  }, 60_000);
});
