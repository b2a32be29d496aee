// What the canvas tests do with the page, the way a user does it: import, drag from the palette,
// pull a connection from handle to handle, read back the graph as drawn.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ui } from './ui-harness.js';
import { writeWorkflowFile } from './workflows.js';

/** A workflow file written to `dir`, imported through the sidebar and opened on the canvas. */
export async function importAndOpen(page: Page, dir: string, workflow: { name: string; workflow: unknown[] } & Record<string, unknown>): Promise<void> {
  const file = writeWorkflowFile(dir, `${workflow.name.replace(/\W+/g, '-')}.json`, workflow);
  await page.getByLabel('Import a workflow file').setInputFiles(file);
  await page.getByRole('heading', { level: 1, name: workflow.name }).waitFor(ui);
  await node(page, 1).waitFor(ui);
}

/** A workflow of one step, imported through the sidebar, opened on the canvas. */
export function openOneStepWorkflow(page: Page, dir: string, name: string): Promise<void> {
  return importAndOpen(page, dir, { name, workflow: [{ step: 1, label: 'Start', platform: 'shell', inputs: { command: 'echo start' } }] });
}

export const node = (page: Page | Locator, step: number): Locator => page.locator(`.react-flow__node[data-id="${step}"]`);
export const edge = (page: Page | Locator, from: number, to: number): Locator => page.locator(`.react-flow__edge[data-id="${from}->${to}"]`);

/** Whether an edge moves as the eye sees it: dashes running along its drawn path. */
export const edgeMoves = (page: Page | Locator, from: number, to: number): Promise<boolean> =>
  edge(page, from, to)
    .locator('path.react-flow__edge-path')
    .evaluate((path) => getComputedStyle(path).animationName === 'dashdraw');

/** How many edges move within `within`. */
export const movingEdges = (within: Locator): Promise<number> =>
  within.locator('path.react-flow__edge-path').evaluateAll((paths) => paths.filter((path) => getComputedStyle(path).animationName === 'dashdraw').length);

export async function dropStep(page: Page, x: number, y: number): Promise<void> {
  await page.dragAndDrop('.palette-item[data-platform="shell"]', '[data-testid="canvas"]', { targetPosition: { x, y } });
}

export async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one step's output handle to another's input handle. */
export async function connect(page: Page, from: number, to: number): Promise<void> {
  const start = await center(page, `.react-flow__node[data-id="${from}"] .react-flow__handle.source`);
  const end = await center(page, `.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** The graph as drawn inside `within` (the page's one canvas by default): step numbers and edges, sorted. */
export async function drawnGraph(page: Page, within = '.react-flow'): Promise<{ nodes: string[]; edges: string[] }> {
  return page.evaluate(
    (scope) => ({
      nodes: [...document.querySelectorAll(`${scope} .react-flow__node`)].map((n) => n.getAttribute('data-id')!).sort(),
      edges: [...document.querySelectorAll(`${scope} .react-flow__edge`)].map((e) => e.getAttribute('data-id')!).sort(),
    }),
    within,
  );
}

export const diamondEdges = ['1->2', '1->3', '2->4', '3->4'];

/** The steps selected on the canvas, sorted. */
export const selectedSteps = (page: Page): Promise<string[]> =>
  page.evaluate(() => [...document.querySelectorAll('.react-flow__node.selected')].map((n) => n.getAttribute('data-id')!).sort());

/**
 * A workflow file's diamond, 1 → 2 → 4 and 1 → 3 → 4, with its steps at `positions` (each test
 * places them for what it does with them) and step 4 running `reportCommand`.
 */
export function diamondWorkflow(name: string, positions: Record<'1' | '2' | '3' | '4', { x: number; y: number }>, reportCommand = 'echo report') {
  return {
    name,
    workflow: [
      { step: 1, label: 'Fetch', platform: 'shell', inputs: { command: 'echo fetched' } },
      { step: 2, label: 'Parse', platform: 'shell', dependencies: [1], inputs: { command: 'echo parsed' } },
      { step: 3, label: 'Count', platform: 'shell', dependencies: [1], inputs: { command: 'echo counted' } },
      { step: 4, label: 'Report', platform: 'shell', dependencies: [2, 3], inputs: { command: reportCommand } },
    ],
    metadata: { layout: { positions } },
  };
}

/** Drags step 1 to the middle of the canvas's left edge, making room right of it for steps to drop; the canvas's box. */
export async function moveFirstStepLeft(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  const first = await center(page, '.react-flow__node[data-id="1"]');
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await afterNodeDrag(page);
  return box;
}

/**
 * Waits out the click a node drag swallows: xyflow drags nodes with d3-drag, which on mouse-up
 * eats the next click until a setTimeout(0) of its own. A person never clicks that fast, but
 * Chromium (156 on) runs Playwright's next key or click before that timer, so the Enter that
 * should press a palette button was lost. A timer set now runs after d3's.
 */
export async function afterNodeDrag(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** From a one-step workflow: three steps dropped from the palette and joined into a diamond. */
export async function buildDiamond(page: Page): Promise<void> {
  // Step 1 to the left third, then three dropped from the palette: 2 and 3 in the middle, 4 right.
  const box = await moveFirstStepLeft(page);
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

/** Clicks the empty corner of the canvas, so keys go to the canvas and nothing is selected. */
export async function clickEmptyCanvas(page: Page): Promise<void> {
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
}
