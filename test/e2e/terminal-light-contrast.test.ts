// In the light theme a terminal's selection and its search matches stand apart from the
// terminal's background by a contrast ratio of at least 1.5 (issue 14: near-white on white).
// The ratio is computed from the colours the terminal is given (the CSS variables theme.ts and
// the search's decorations read), composited over the background xterm paints from its theme.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellPoint, screenRows, shownSurface } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const shell = join(mkdtempSync(join(tmpdir(), 'photon-contrast-shell-')), 'plain-bash');
writeFileSync(shell, '#!/bin/bash\nPS1="READY> " exec /bin/bash --norc --noprofile -i\n');
chmodSync(shell, 0o755);
const harness = useUiHarness({ env: { SHELL: shell } });

interface Shown {
  background: string;
  colours: Record<string, [number, number, number]>;
  backgroundRgb: [number, number, number];
}

/** Each named CSS variable's colour as drawn over the terminal's painted background (alpha included). */
function overBackground(page: Page, variables: Record<string, string>): Promise<Shown> {
  return page.evaluate(({ surface, variables }) => {
    const viewport = document.querySelector(`${surface} .xterm-scrollable-element`);
    if (!viewport) throw new Error('no terminal on screen');
    const background = getComputedStyle(viewport).backgroundColor;
    const root = getComputedStyle(document.documentElement);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const paint = (colour: string | null): [number, number, number] => {
      context.globalCompositeOperation = 'copy';
      context.fillStyle = background;
      context.fillRect(0, 0, 1, 1);
      context.globalCompositeOperation = 'source-over';
      if (colour !== null) {
        context.fillStyle = colour;
        context.fillRect(0, 0, 1, 1);
      }
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!];
    };
    const colours: Record<string, [number, number, number]> = {};
    for (const [name, variable] of Object.entries(variables)) {
      const value = root.getPropertyValue(variable).trim();
      if (value === '') throw new Error(`${variable} is not set`);
      colours[name] = paint(value);
    }
    return { background, colours, backgroundRgb: paint(null) };
  }, { surface: shownSurface, variables });
}

/** WCAG 2 contrast ratio of two sRGB colours (0-255 per channel). */
function contrast(a: [number, number, number], b: [number, number, number]): number {
  const luminance = (rgb: [number, number, number]) => {
    const [r, g, b] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

describe('a terminal in the light theme', () => {
  it('draws its selection and its search matches clearly apart from the background', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });
      await expect.poll(async () => terminalLines(await shownTerminalText(page)).filter((l) => l !== '').at(-1), ui).toBe('READY>');
      await page.locator(shownSurface).click();
      await page.keyboard.type("clear; printf '%s%s\\n' needle needle needle needle\n");
      await expect.poll(async () => (await screenRows(page)).filter((row) => row.trim() === 'needleneedle').length, ui).toBe(2);

      // A selection with the mouse, then a search that finds both lines.
      const row = (await screenRows(page)).findIndex((text) => text.trim() === 'needleneedle');
      const word = await cellPoint(page, 2, row);
      await page.mouse.dblclick(word.x, word.y);
      await page.keyboard.press('Control+f');
      await page.getByRole('searchbox', { name: 'Find in terminal' }).fill('needleneedle');
      await expect.poll(() => page.getByRole('search').locator('.terminal-find-result').textContent(), ui).toMatch(/^[12] of 2$/);

      const shown = await overBackground(page, { selection: '--terminal-selection', match: '--terminal-match', current: '--terminal-match-active' });
      // The light theme is on: the background xterm paints is light.
      expect(contrast(shown.backgroundRgb, [255, 255, 255])).toBeLessThan(1.2);
      const ratios = Object.fromEntries(Object.entries(shown.colours).map(([name, rgb]) => [name, Number(contrast(rgb, shown.backgroundRgb).toFixed(2))]));
      for (const [name, ratio] of Object.entries(ratios)) expect({ [name]: ratio >= 1.5 ? 'visible' : ratio }).toEqual({ [name]: 'visible' });
    } finally {
      await context.close();
    }
  }, 60_000);
});
