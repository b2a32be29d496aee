// Fit View on both canvases, in Chromium against `photon serve`: it shows the whole graph, however
// tall or wide, as a canvas app's "zoom to fit" does, while a graph that fits at its natural size
// is shown at that size, not blown up; zooming by hand still goes past the fit.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

const zoom = (within: Locator) => within.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);

/**
 * The steps whose node lies wholly inside the canvas's visible box (the part of it inside the
 * window and the areas that scroll around it) once the view stopped moving (a fit may animate).
 */
async function stepsInView(page: Page, canvas: Locator): Promise<string[]> {
  let last = '';
  for (;;) {
    const now = await canvas.evaluate((flow) => {
      const box = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
      for (let el: Element | null = flow; el; el = el.parentElement) {
        if (el !== flow && getComputedStyle(el).overflow === 'visible') continue;
        const r = el.getBoundingClientRect();
        Object.assign(box, { left: Math.max(box.left, r.left), top: Math.max(box.top, r.top), right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom) });
      }
      return [...flow.querySelectorAll('.react-flow__node')]
        .filter((n) => {
          const r = n.getBoundingClientRect();
          return r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
        })
        .map((n) => n.getAttribute('data-id')!)
        .sort((a, b) => Number(a) - Number(b))
        .join(',');
    });
    if (now === last) return now ? now.split(',') : [];
    last = now;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
}

const numbers = (count: number) => Array.from({ length: count }, (_, i) => String(i + 1));

/** Twelve steps with no dependencies (a column twelve nodes tall) and a chain of 20 after the first: tall and 21 layers wide. */
function tallAndWide(name: string) {
  const column = Array.from({ length: 12 }, (_, i) => ({ step: i + 1, label: `Part ${i + 1}`, platform: 'shell', inputs: { command: `echo part ${i + 1}` } }));
  const chain = Array.from({ length: 20 }, (_, i) => ({
    step: 13 + i,
    label: `Stage ${i + 1}`,
    platform: 'shell',
    dependencies: [i === 0 ? 1 : 12 + i],
    inputs: { command: `echo stage ${i + 1}` },
  }));
  return { name, workflow: [...column, ...chain] };
}

/** Pans the view by dragging the empty pane from near the canvas's top-left corner. */
async function panAway(page: Page, canvas: Locator): Promise<void> {
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 12, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
}

describe('Fit View', () => {
  it("on a run's page shows every step of a tall, wide run, after opening it and after panning away", async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1000, height: 700 } });
    try {
      await importAndOpen(page, harness.filesDir, tallAndWide('Tall and wide'));
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor(ui);
      const region = page.getByRole('region', { name: 'Run canvas' });
      const canvas = region.getByTestId('run-canvas');
      // The run opens on all of it.
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(numbers(32));

      await panAway(page, canvas);
      await expect.poll(async () => (await stepsInView(page, canvas)).length, ui).toBeLessThan(32);
      await region.getByRole('button', { name: 'Fit View' }).click();
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(numbers(32));

      // Zooming in by hand goes past the fit.
      const fitted = await zoom(canvas);
      await region.getByRole('button', { name: 'Zoom In' }).click();
      await expect.poll(() => zoom(canvas), ui).toBeGreaterThan(fitted * 1.1);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('on the workflow editor shows every step of a tall, wide workflow, from the canvas controls and the toolbar command alike', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, tallAndWide('Tall and wide draft'));
      const canvas = page.getByTestId('canvas');
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(numbers(32));

      await panAway(page, canvas);
      await expect.poll(async () => (await stepsInView(page, canvas)).length, ui).toBeLessThan(32);
      await canvas.getByRole('button', { name: 'Fit View' }).click();
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(numbers(32));

      await panAway(page, canvas);
      await expect.poll(async () => (await stepsInView(page, canvas)).length, ui).toBeLessThan(32);
      const palette = page.getByRole('dialog', { name: 'Command palette' });
      await page.keyboard.press('Control+k');
      await palette.getByRole('combobox').fill('Fit the whole workflow');
      await page.keyboard.press('Enter');
      await palette.waitFor({ ...ui, state: 'hidden' });
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(numbers(32));
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows a graph that fits at its natural size at that size, not blown up, on both canvases', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'Two steps',
        workflow: [
          { step: 1, label: 'First', platform: 'shell', inputs: { command: 'echo one' } },
          { step: 2, label: 'Second', platform: 'shell', inputs: { command: 'echo two' } },
        ],
      });
      const editor = page.getByTestId('canvas');
      await editor.getByRole('button', { name: 'Fit View' }).click();
      await expect.poll(() => stepsInView(page, editor), ui).toEqual(['1', '2']);
      expect(await zoom(editor)).toBeCloseTo(1, 2);

      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      const region = page.getByRole('region', { name: 'Run canvas' });
      const canvas = region.getByTestId('run-canvas');
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(['1', '2']);
      expect(await zoom(canvas)).toBeCloseTo(1, 2);
      await region.getByRole('button', { name: 'Fit View' }).click();
      await expect.poll(() => stepsInView(page, canvas), ui).toEqual(['1', '2']);
      expect(await zoom(canvas)).toBeCloseTo(1, 2);
    } finally {
      await context.close();
    }
  }, 90_000);
});
