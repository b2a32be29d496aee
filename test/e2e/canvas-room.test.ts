// Room for the graph, in Chromium against `photon serve`: the sidebar and the canvas's panels
// fold away, the canvas fills the window, a workflow too wide to show whole opens on its first
// steps, and the editor stays usable in a 1000x700 window and at 200 % zoom.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

/** A chain of `count` steps, one after the other: wide when laid out. */
function chain(name: string, count: number) {
  return {
    name,
    workflow: Array.from({ length: count }, (_, i) => ({
      step: i + 1,
      label: `Stage ${i + 1}`,
      platform: 'shell',
      inputs: { command: `echo ${i + 1}` },
      ...(i > 0 ? { dependencies: [i] } : {}),
    })),
  };
}

const flowBox = async (page: Page) => (await page.getByTestId('canvas').boundingBox())!;
const zoom = (page: Page) => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);

describe('room for the canvas', () => {
  it('in a 1000x700 window: panels start folded, fold and unfold, the canvas fills the window', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1000, height: 700 } });
    try {
      await page.evaluate(() => localStorage.clear());
      await importAndOpen(page, harness.filesDir, chain('Small window chain', 3));
      const toolbar = page.getByRole('toolbar', { name: 'Canvas' });
      // The step kinds start folded at this width; a step is still one menu away.
      expect(await page.getByRole('region', { name: 'Step palette' }).count()).toBe(0);
      await toolbar.getByRole('combobox', { name: 'Add a step' }).selectOption('shell');
      await node(page, 4).waitFor(ui);
      const withPanels = await flowBox(page);
      expect(withPanels.width).toBeGreaterThanOrEqual(380);
      expect(withPanels.height).toBeGreaterThanOrEqual(300);

      // Folding the sidebar and the inspector gives the graph their width.
      await page.keyboard.press('Control+b');
      await toolbar.getByRole('button', { name: 'Inspector' }).click();
      await expect.poll(async () => (await flowBox(page)).width, ui).toBeGreaterThan(withPanels.width + 400);

      // Full window: the graph takes the whole window, and gives it back.
      await toolbar.getByRole('button', { name: 'Full window' }).click();
      await expect.poll(async () => (await flowBox(page)).height, ui).toBeGreaterThan(560);
      expect((await flowBox(page)).width).toBeGreaterThan(940);
      await toolbar.getByRole('button', { name: 'Leave full window' }).click();
      await expect.poll(async () => (await flowBox(page)).height, ui).toBeLessThan(560);
      // Escape leaves it too, once nothing is selected.
      await toolbar.getByRole('button', { name: 'Full window' }).click();
      await expect.poll(async () => (await flowBox(page)).height, ui).toBeGreaterThan(560);
      await node(page, 1).click();
      await page.keyboard.press('Escape');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await flowBox(page)).height, ui).toBeLessThan(560);
      // What was folded stays folded after a reload.
      await page.reload();
      await node(page, 1).waitFor(ui);
      expect(await page.getByRole('complementary', { name: 'Inspector' }).count()).toBe(0);
      expect(await page.getByRole('navigation', { name: 'Workflows and runs (folded)' }).count()).toBe(1);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('opens a workflow too wide to show whole even at the least zoom on its first steps, not its middle', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1000, height: 700 } });
    try {
      await importAndOpen(page, harness.filesDir, chain('Eighty stages', 80));
      // The fit shows a whole graph down to zoom 0.05; eighty stages in a row are wider than the canvas even then.
      await expect.poll(() => zoom(page), ui).toBeLessThan(0.051);
      const flow = await flowBox(page);
      await expect.poll(async () => (await node(page, 1).boundingBox())?.x ?? -1, ui).toBeGreaterThanOrEqual(flow.x);
      expect((await node(page, 1).boundingBox())!.x).toBeLessThan(flow.x + flow.width / 2);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('at 200 % zoom (1280x800 at twice the scale): nothing runs off the side, the graph and Run stay at hand', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    try {
      // The sidebar starts folded to one row here: above the view it would take much of the height.
      await page.getByRole('navigation', { name: 'Workflows and runs (folded)' }).waitFor(ui);
      await page.getByRole('navigation', { name: 'Workflows and runs (folded)' }).getByRole('button', { name: 'Show the sidebar' }).click();
      await importAndOpen(page, harness.filesDir, chain('Zoomed chain', 3));
      await page.getByRole('button', { name: 'Hide the sidebar' }).click();
      await page.getByRole('navigation', { name: 'Workflows and runs (folded)' }).waitFor(ui);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(640);
      const box = await flowBox(page);
      expect(box.width).toBeGreaterThanOrEqual(560);
      expect(box.height).toBeGreaterThanOrEqual(240);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\//, ui);
    } finally {
      await context.close();
    }
  }, 90_000);
});
