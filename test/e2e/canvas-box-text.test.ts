// A Shift-drag box on the canvas selects steps, never the page's text: not the labels of the steps
// it crosses, nor the inspector or header it ends on once it leaves the canvas (issue 14).
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

const selectedSteps = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.react-flow__node.selected')].map((n) => n.getAttribute('data-id')!).sort());
const pageSelection = (page: Page) => page.evaluate(() => window.getSelection()?.toString() ?? '');

/** Holds Shift and drags from one point to another, as a user sweeps a box (screen coordinates). */
async function shiftDrag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

/** Where an element is once it stayed put over two animation frames (a fit of the view lands a frame after the click). */
async function settledBox(page: Page, element: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let before = await element.boundingBox();
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const now = await element.boundingBox();
    if (now && JSON.stringify(now) === JSON.stringify(before)) return now;
    before = now;
  }
}

describe('a Shift-drag box on the canvas', () => {
  it('selects the steps it crosses and no text, even when it ends on the inspector or the header', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'Box over text',
        workflow: [
          { step: 1, label: 'Fetch the sources', platform: 'shell', inputs: { command: 'echo fetched' } },
          { step: 2, label: 'Build the release', platform: 'shell', dependencies: [1], inputs: { command: 'echo built' } },
        ],
        metadata: { layout: { positions: { '1': { x: 0, y: 0 }, '2': { x: 320, y: 0 } } } },
      });
      await node(page, 2).waitFor(ui);
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      const first = (await node(page, 1).boundingBox())!;
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await inspector.waitFor(ui);
      const aside = (await inspector.boundingBox())!;
      const heading = (await page.getByRole('heading', { level: 1, name: 'Box over text' }).boundingBox())!;

      // From empty canvas below-left of the steps, across both, out over the right edge onto the inspector's text.
      const start = { x: Math.max(canvas.x + 8, first.x - 40), y: Math.min(canvas.y + canvas.height - 8, first.y + first.height + 60) };
      await shiftDrag(page, start, { x: aside.x + aside.width / 2, y: aside.y + 40 });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['1', '2']);
      expect(await pageSelection(page)).toBe('');

      // The sweep panned the canvas while it was held past the edge (xyflow pans a selection's
      // view there, the longer it is held the further: under load the steps left the canvas), so
      // the view is fitted again and the steps measured where they are now.
      await page.getByRole('button', { name: 'Fit View' }).click();
      const second = await settledBox(page, node(page, 2));
      const firstNow = (await node(page, 1).boundingBox())!;

      // And from below-right of the steps, up over the top edge onto the page's header.
      const right = { x: Math.min(canvas.x + canvas.width - 8, second.x + second.width + 40), y: Math.min(canvas.y + canvas.height - 8, firstNow.y + firstNow.height + 60) };
      await shiftDrag(page, right, { x: heading.x + heading.width / 2, y: heading.y + heading.height / 2 });
      await expect.poll(() => selectedSteps(page), ui).toContain('2');
      expect(await pageSelection(page)).toBe('');
    } finally {
      await context.close();
    }
  }, 60_000);
});
