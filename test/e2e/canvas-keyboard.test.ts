// The canvas by keyboard, in Chromium against `photon serve`: Escape clears the selection,
// Ctrl+Y redoes, Tab reaches the steps before their dependencies with a ring that shows which one
// has the keyboard, pasted steps land beside their originals, and a step is found by typing
// (Ctrl+F, Ctrl+G: the palette narrowed to the steps).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diamondWorkflow, drawnGraph, importAndOpen, node, selectedSteps } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
/** The graph element with the keyboard: `node:N`, `edge:A->B`, or null. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (element?.classList.contains('react-flow__node')) return `node:${element.getAttribute('data-id')}`;
    if (element?.classList.contains('react-flow__edge')) return `edge:${element.getAttribute('data-id')}`;
    return null;
  });
const diamond = (name: string) => diamondWorkflow(name, { '1': { x: 0, y: 150 }, '2': { x: 300, y: 0 }, '3': { x: 300, y: 300 }, '4': { x: 600, y: 150 } });

describe('the canvas by keyboard', () => {
  it('clears the selection on Escape, redoes on Ctrl+Y, pastes beside the originals', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, diamond('Keyboard diamond'));
      await node(page, 1).click();
      await expect.poll(() => selectedSteps(page), ui).toEqual(['1']);
      await page.keyboard.press('Escape');
      await expect.poll(() => selectedSteps(page), ui).toEqual([]);
      // Also when the keyboard is on the canvas itself, not on a step (xyflow lets go only of a focused step).
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+a');
      await expect.poll(() => selectedSteps(page), ui).toEqual(['1', '2', '3', '4']);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Escape');
      await expect.poll(() => selectedSteps(page), ui).toEqual([]);

      await node(page, 4).click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => (await drawnGraph(page)).nodes, ui).toEqual(['1', '2', '3']);
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await drawnGraph(page)).nodes, ui).toEqual(['1', '2', '3', '4']);
      await page.keyboard.press('Control+y');
      await expect.poll(async () => (await drawnGraph(page)).nodes, ui).toEqual(['1', '2', '3']);
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await drawnGraph(page)).nodes, ui).toEqual(['1', '2', '3', '4']);

      // The copy lands down and to the right, the original's title still in sight.
      await node(page, 1).click();
      await page.keyboard.press('Control+c');
      await page.keyboard.press('Control+v');
      await node(page, 5).waitFor(ui);
      const original = (await node(page, 1).boundingBox())!;
      const copy = (await node(page, 5).boundingBox())!;
      expect(copy.x).toBeGreaterThan(original.x + 10);
      expect(copy.y).toBeGreaterThan(original.y + 10);
      const title = (await node(page, 1).locator('.step-node-title').boundingBox())!;
      const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.react-flow__node')?.getAttribute('data-id'), { x: title.x + 4, y: title.y + title.height / 2 });
      expect(onTop).toBe('1');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('tabs through the steps before the dependencies, showing a focus ring', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, diamond('Tabbed diamond'));
      await page.getByRole('button', { name: 'Auto-layout' }).focus();
      let presses = 0;
      while ((await focused(page)) === null && presses++ < 40) await page.keyboard.press('Tab');
      const order = [await focused(page)];
      for (let i = 0; i < 7; i++) {
        await page.keyboard.press('Tab');
        order.push(await focused(page));
      }
      expect(order).toEqual(['node:1', 'node:2', 'node:3', 'node:4', 'edge:1->2', 'edge:1->3', 'edge:2->4', 'edge:3->4']);
      // On past the last dependency, and back into the graph from behind it.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBeNull();
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('edge:3->4');

      // The ring on a step with the keyboard is a real outline, not the browser's default nothing on an SVG-ish div.
      await node(page, 2).focus();
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('node:1');
      const ring = await node(page, 1).locator('.step-node').evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      expect(ring.style).toBe('solid');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      // Enter selects the focused step, Escape lets it go.
      await page.keyboard.press('Enter');
      await expect.poll(() => selectedSteps(page), ui).toEqual(['1']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('finds a step by label or number: Ctrl+F and Ctrl+G narrow the palette to the steps', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, diamond('Searchable diamond'));
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+f');
      const steps = page.getByRole('dialog', { name: 'Go to a step' });
      await steps.getByRole('combobox').fill('count');
      await expect.poll(() => steps.getByRole('option').allTextContents(), ui).toEqual([expect.stringContaining('Step 3: Count')]);
      await page.keyboard.press('Enter');
      await expect.poll(() => selectedSteps(page), ui).toEqual(['3']);
      await expect.poll(() => focused(page), ui).toBe('node:3');

      await page.keyboard.press('Control+g');
      await steps.getByRole('combobox').fill('step 4');
      await page.keyboard.press('Enter');
      await expect.poll(() => selectedSteps(page), ui).toEqual(['4']);
    } finally {
      await context.close();
    }
  }, 90_000);
});
