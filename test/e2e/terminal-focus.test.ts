// The terminal dock as a user meets it first: a new shell takes the keys at once, keeps them
// after the dock is resized, and closes without a question while it runs nothing; in the light
// theme a selection and every search match are visible, and search says how many it found.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellPoint, openShellOnly, screenRows, shownSurface, terminalSize } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

// A shell whose start-up takes a moment and starts programs, as version managers' hooks do.
const shell = join(mkdtempSync(join(tmpdir(), 'photon-terminal-shell-')), 'slow-bash');
writeFileSync(shell, '#!/bin/bash\nsleep 1.2\nPS1="READY> " exec /bin/bash --norc --noprofile -i\n');
chmodSync(shell, 0o755);
const harness = useUiHarness({ env: { SHELL: shell } });

const lastLines = async (page: Page) => terminalLines(await shownTerminalText(page)).filter((line) => line !== '');

describe('a new terminal', () => {
  it('closes at once while its shell runs nothing, even just after it opened', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShellOnly(page);
      const questions: string[] = [];
      page.on('dialog', (dialog) => {
        questions.push(dialog.message());
        void dialog.dismiss();
      });
      // The shell has finished starting; the engine's last sample may be from before.
      await expect.poll(async () => (await lastLines(page)).at(-1), ui).toBe('READY>');
      await page.getByRole('button', { name: /^Close / }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(0);
      expect(questions).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('takes the keys as soon as it opens, and keeps them after the dock is resized', async () => {
    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });
      // Typed at once, without a click into the terminal: the shell reads it once it has started.
      await page.keyboard.type('echo first-$((40+2))\n');
      await expect.poll(async () => lastLines(page), ui).toContain('first-42');

      const edge = (await page.getByRole('separator', { name: 'Resize terminals' }).boundingBox())!;
      await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width / 2, edge.y - 120, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.type('echo after-$((40+3))\n');
      await expect.poll(async () => lastLines(page), ui).toContain('after-43');
      expect(await page.evaluate((selector) => document.querySelector(selector)?.contains(document.activeElement), shownSurface)).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);
});

/** The mean colour (0-255 per channel) a user sees over `count` cells of a screen row. */
async function cellsColour(page: Page, column: number, row: number, count: number): Promise<[number, number, number]> {
  const first = await cellPoint(page, column, row);
  const last = await cellPoint(page, column + count - 1, row);
  const { rows } = await terminalSize(page);
  const screen = (await page.locator(`${shownSurface} .xterm-screen`).boundingBox())!;
  const half = { x: (last.x - first.x) / Math.max(1, count - 1) / 2 || 4, y: screen.height / rows / 2 };
  const png = await page.screenshot({ clip: { x: first.x - half.x, y: first.y - half.y, width: last.x - first.x + 2 * half.x, height: 2 * half.y } });
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < pixels.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += pixels[i + c]!;
    const n = pixels.length / 4;
    return [sum[0]! / n, sum[1]! / n, sum[2]! / n] as [number, number, number];
  }, png.toString('base64'));
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('finding and selecting in a terminal, in the light theme', () => {
  it('shows the found match, the other matches and a selection, and says how many matches there are', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    try {
      await openShellOnly(page);
      await expect.poll(async () => (await lastLines(page)).at(-1), ui).toBe('READY>');
      await page.locator(shownSurface).click();
      // printf's arguments keep the typed command from containing the word searched for.
      await page.keyboard.type("clear; printf '%s%s\\n' needle needle needle needle\n");
      await expect.poll(async () => (await screenRows(page)).filter((row) => row.trim() === 'needleneedle').length, ui).toBe(2);
      const rows = (await screenRows(page)).map((row, index) => ({ row, index })).filter(({ row }) => row.trim() === 'needleneedle');
      const plain = await Promise.all(rows.map(({ index }) => cellsColour(page, 0, index, 6)));

      await page.keyboard.press('Control+f');
      const find = page.getByRole('searchbox', { name: 'Find in terminal' });
      await find.fill('needleneedle');
      const count = page.getByRole('search').locator('.terminal-find-result');
      await expect.poll(() => count.textContent(), ui).toMatch(/^[12] of 2$/);
      // Both matches stand out from the plain text they were: the found one and the other one.
      await expect.poll(async () => distance(await cellsColour(page, 0, rows[0]!.index, 6), plain[0]!), ui).toBeGreaterThan(25);
      await expect.poll(async () => distance(await cellsColour(page, 0, rows[1]!.index, 6), plain[1]!), ui).toBeGreaterThan(25);

      await page.getByRole('button', { name: 'Next match' }).click();
      await expect.poll(() => count.textContent(), ui).toMatch(/^[12] of 2$/);
      await find.fill('needle-none');
      await expect.poll(() => count.textContent(), ui).toBe('No match');

      // A selection made with the mouse shows as well.
      await find.press('Escape');
      await expect.poll(async () => distance(await cellsColour(page, 0, rows[0]!.index, 6), plain[0]!), ui).toBeLessThan(10);
      const word = await cellPoint(page, 2, rows[0]!.index);
      await page.mouse.dblclick(word.x, word.y);
      await expect.poll(async () => distance(await cellsColour(page, 0, rows[0]!.index, 6), plain[0]!), ui).toBeGreaterThan(25);
    } finally {
      await context.close();
    }
  }, 60_000);
});
