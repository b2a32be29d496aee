// Auto-layout and select-all on the canvas, in Chromium against `photon serve`: a tangled
// workflow is laid out left to right in dependency order with no step on top of another, and
// Ctrl+A (Cmd+A on macOS) selects every step.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clickEmptyCanvas, importAndOpen, node, selectedSteps } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1600, height: 900 } });

type Box = { x: number; y: number; width: number; height: number };

/** Where each step is drawn on screen. */
async function drawnBoxes(page: Page, steps: readonly number[]): Promise<Record<number, Box>> {
  const boxes: Record<number, Box> = {};
  for (const step of steps) boxes[step] = (await node(page, step).boundingBox())!;
  return boxes;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the diamond 1 → 2, 3 → 4 reads left to right, each step clear of every other. */
function laidOut(boxes: Record<number, Box>): boolean {
  const [one, two, three, four] = [boxes[1]!, boxes[2]!, boxes[3]!, boxes[4]!];
  const inOrder = one.x + one.width <= Math.min(two.x, three.x) && Math.max(two.x + two.width, three.x + three.width) <= four.x;
  const all = [one, two, three, four];
  const apart = all.every((a, i) => all.slice(i + 1).every((b) => !overlap(a, b)));
  return inOrder && apart;
}


describe('canvas layout and selection', () => {
  it('lays a tangled workflow out left to right in dependency order, no step over another', async () => {
    const { context, page } = await openApp();
    try {
      // Drawn backwards, with steps 2 and 3 on the same spot.
      await importAndOpen(page, harness.filesDir, {
        name: 'Tangled',
        workflow: [
          { step: 1, label: 'Fetch', platform: 'shell', inputs: { command: 'echo fetched' } },
          { step: 2, label: 'Parse', platform: 'shell', dependencies: [1], inputs: { command: 'echo parsed' } },
          { step: 3, label: 'Count', platform: 'shell', dependencies: [1], inputs: { command: 'echo counted' } },
          { step: 4, label: 'Report', platform: 'shell', dependencies: [2, 3], inputs: { command: 'echo report' } },
        ],
        metadata: { layout: { positions: { '1': { x: 700, y: 100 }, '2': { x: 350, y: 100 }, '3': { x: 360, y: 110 }, '4': { x: 0, y: 100 } } } },
      });
      for (const step of [2, 3, 4]) await node(page, step).waitFor(ui);
      expect(laidOut(await drawnBoxes(page, [1, 2, 3, 4]))).toBe(false);

      await page.getByRole('button', { name: 'Auto-layout' }).click();
      // Laid out, with steps 2 and 3 sharing a column (centred on it: their drawn widths may differ).
      // Polled as one state: the fit after the layout moves the view for 200 ms, and a box read in
      // the middle of that move stands where the view was.
      const shareColumn = (boxes: Record<number, Box>) => Math.abs(boxes[2]!.x + boxes[2]!.width / 2 - (boxes[3]!.x + boxes[3]!.width / 2)) < 2;
      await expect
        .poll(async () => {
          const boxes = await drawnBoxes(page, [1, 2, 3, 4]);
          return { laidOut: laidOut(boxes), shareColumn: shareColumn(boxes) };
        }, ui)
        .toEqual({ laidOut: true, shareColumn: true });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('selects every step with Cmd+A as with Ctrl+A', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'Select them all',
        workflow: [
          { step: 1, label: 'One', platform: 'shell', inputs: { command: 'echo 1' } },
          { step: 2, label: 'Two', platform: 'shell', dependencies: [1], inputs: { command: 'echo 2' } },
          { step: 3, label: 'Three', platform: 'shell', inputs: { command: 'echo 3' } },
        ],
      });
      for (const combo of ['Meta+a', 'Control+a']) {
        await clickEmptyCanvas(page);
        await expect.poll(() => selectedSteps(page), ui).toEqual([]);
        await page.keyboard.press(combo);
        await expect.poll(() => selectedSteps(page), ui).toEqual(['1', '2', '3']);
      }
    } finally {
      await context.close();
    }
  }, 90_000);
});
