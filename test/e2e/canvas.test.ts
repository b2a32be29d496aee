// The workflow canvas end to end: `photon serve` with a temporary data folder, driven in Debian's
// Chromium the way a user drives it: drag from the palette, connect handles, save, run, undo.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1800, height: 1000 }, acceptDownloads: true });

/** A workflow of one step, imported through the sidebar, opened on the canvas. */
async function openOneStepWorkflow(page: Page, name: string): Promise<void> {
  const file = writeWorkflowFile(harness.filesDir, `${name}.json`, {
    name,
    workflow: [{ step: 1, label: 'Start', platform: 'shell', inputs: { command: 'echo start' } }],
  });
  await page.getByLabel('Import a workflow file').setInputFiles(file);
  await page.getByRole('heading', { level: 1, name }).waitFor(ui);
  await node(page, 1).waitFor(ui);
}

const node = (page: Page, step: number) => page.locator(`.react-flow__node[data-id="${step}"]`);
const edge = (page: Page, from: number, to: number) => page.locator(`.react-flow__edge[data-id="${from}->${to}"]`);

async function dropStep(page: Page, x: number, y: number): Promise<void> {
  await page.dragAndDrop('.palette-item[data-platform="shell"]', '[data-testid="canvas"]', { targetPosition: { x, y } });
}

async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one step's output handle to another's input handle. */
async function connect(page: Page, from: number, to: number): Promise<void> {
  const start = await center(page, `.react-flow__node[data-id="${from}"] .react-flow__handle.source`);
  const end = await center(page, `.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** The graph as drawn: step numbers and edges, sorted. */
async function drawnGraph(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('.react-flow__node')].map((n) => n.getAttribute('data-id')!).sort(),
    edges: [...document.querySelectorAll('.react-flow__edge')].map((e) => e.getAttribute('data-id')!).sort(),
  }));
}

const diamondEdges = ['1->2', '1->3', '2->4', '3->4'];

async function buildDiamond(page: Page): Promise<void> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  // Step 1 to the left third, then three dropped from the palette: 2 and 3 in the middle, 4 right.
  const first = await center(page, '.react-flow__node[data-id="1"]');
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await dropStep(page, box.width * 0.5, box.height * 0.25);
  await node(page, 2).waitFor(ui);
  await dropStep(page, box.width * 0.5, box.height * 0.75);
  await node(page, 3).waitFor(ui);
  await dropStep(page, box.width * 0.85, box.height * 0.5);
  await node(page, 4).waitFor(ui);
  await connect(page, 1, 2);
  await connect(page, 1, 3);
  await connect(page, 2, 4);
  await connect(page, 3, 4);
  await expect.poll(async () => (await drawnGraph(page)).edges, ui).toEqual(diamondEdges);
}

describe('the workflow canvas', () => {
  it('builds a diamond from the palette, refuses a cycle, saves it and shows it again after a reload', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Diamond');
      // Only the runnable platform can be dragged; the others say they are coming soon.
      await expect.poll(() => page.locator('.palette-item[data-platform="codex"]').isDisabled()).toBe(true);
      await page.locator('.palette-item[data-platform="codex"]').getByText('coming soon').waitFor(ui);

      await buildDiamond(page);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2', '3', '4']);

      // 4 → 1 would close a cycle: refused, with the reason on screen, and no edge drawn.
      await connect(page, 4, 1);
      await page.getByRole('alert').filter({ hasText: 'would close a cycle' }).waitFor(ui);
      expect(await page.getByRole('alert').filter({ hasText: 'would close a cycle' }).textContent()).toContain('1 → 2 → 4 → 1');
      // Joining the same two steps again is refused too.
      await connect(page, 1, 2);
      await page.getByRole('alert').filter({ hasText: 'Step 2 already depends on step 1.' }).waitFor(ui);
      expect((await drawnGraph(page)).edges).toEqual(diamondEdges);

      await page.getByText('Unsaved changes').waitFor(ui);
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+s');
      await page.getByText('Saved', { exact: true }).waitFor(ui);

      await page.reload();
      await node(page, 4).waitFor(ui);
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      // The list view shows the same dependencies.
      expect(await page.getByRole('row', { name: /Shell 4/ }).textContent()).toContain('step 2, step 3');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('runs the workflow and shows every node turn succeeded', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Watched diamond');
      await buildDiamond(page);
      await page.getByRole('button', { name: 'Run here' }).click();
      for (const step of [1, 2, 3, 4]) {
        await expect.poll(() => node(page, step).locator('.step-node').getAttribute('data-status'), ui).toBe('succeeded');
        // Status in words and a symbol, not colour alone.
        await node(page, step).getByText('Succeeded').waitFor(ui);
      }
      await node(page, 4).getByRole('button', { name: 'Output' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Output of step 4' }).textContent(), ui).toContain('step 4');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('undoes and redoes a delete', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Undo diamond');
      await buildDiamond(page);
      await node(page, 2).click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '3', '4'], edges: ['1->3', '3->4'] });
      await page.keyboard.press('Control+z');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '3', '4'], edges: ['1->3', '3->4'] });

      // The context menu deletes an edge.
      await edge(page, 3, 4).click({ button: 'right', force: true });
      await page.getByRole('menuitem', { name: /Delete dependency/ }).click();
      await expect.poll(async () => (await drawnGraph(page)).edges, ui).toEqual(['1->3']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('imports an exported file and gets the same graph', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Exported diamond');
      await buildDiamond(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
      const path = await download.path();
      const exported = JSON.parse(readFileSync(path, 'utf8')) as { workflow: { step: number; dependencies: number[] }[]; metadata: { layout: { positions: object } } };
      expect(exported.workflow.map((s) => [s.step, s.dependencies])).toEqual([[1, []], [2, [1]], [3, [1]], [4, [2, 3]]]);
      expect(Object.keys(exported.metadata.layout.positions)).toEqual(['1', '2', '3', '4']);

      // Into another workflow's canvas: the same steps, edges and places.
      await openOneStepWorkflow(page, 'Import target');
      await page.getByLabel('Import into the canvas').setInputFiles(path);
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      await page.getByRole('button', { name: 'Undo', exact: true }).waitFor(ui);
      // Each node where the file put it (positions are stored rounded to whole pixels).
      const places = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
            const [x, y] = [...n.style.transform.matchAll(/-?[\d.]+/g)].map((m) => Math.round(Number(m[0])));
            return [n.getAttribute('data-id'), { x, y }];
          }),
        ),
      );
      expect(places).toEqual(exported.metadata.layout.positions);
    } finally {
      await context.close();
    }
  }, 90_000);
});
