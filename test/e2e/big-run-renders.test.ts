// A big run's events arrive a frame's worth at a time, and each frame renders the run page's
// header (its "N of M steps succeeded"). Nothing else may render with it: the run graph (xyflow
// and a node per step), the timeline (its rows of bars) and the workflow canvas (toolbar, graph,
// palette, inspector) each rendered at every frame and took the page's main thread (issue 17).
// Renders are counted by renderer/lib/render-count.ts, which counts only where a test asks.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const layers = 10;
const width = 20;
const total = layers * width;

/**
 * `layers` layers of `width` steps, each depending on two steps of the layer before. Each sleeps
 * 50 ms so that, at the run's concurrency of 4, its events reach the page in at least 50 separate
 * moments however fast the engine is: steps of `true` ran 200 in 0.86 s here and faster on CI,
 * too few frames for the header's count to say it followed the run.
 */
function layeredWorkflow(name: string) {
  return {
    name,
    workflow: Array.from({ length: total }, (_, i) => {
      const step = i + 1;
      const layer = Math.floor(i / width);
      const column = i % width;
      const dependencies = layer === 0 ? [] : [...new Set([step - width, (layer - 1) * width + ((column + 1) % width) + 1])];
      return { step, label: `Step ${step}`, platform: 'shell', dependencies, inputs: { command: 'sleep 0.05' } };
    }),
  };
}

async function openCounting(): Promise<{ close(): Promise<void>; page: Page }> {
  const context = await harness.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript('window.__photonRenders = {}');
  const page = await context.newPage();
  await page.goto(harness.server.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
  return { page, close: () => context.close() };
}

const renders = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __photonRenders: Record<string, number> }).__photonRenders }));
const resetRenders = (page: Page) => page.evaluate(() => ((window as unknown as { __photonRenders: Record<string, number> }).__photonRenders = {}));

describe('a big run renders only what changed', () => {
  it('renders the run page at its events, but its graph and timeline at their own pace', async () => {
    const { page, close } = await openCounting();
    try {
      await importAndOpen(page, harness.filesDir, layeredWorkflow('Wide run page'));
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').waitFor(ui);
      const from = Date.now();
      await page.locator('.run-facts').getByText(`${total} of ${total} steps succeeded`).waitFor({ timeout: 240_000 });
      const seconds = (Date.now() - from) / 1000;
      const counted = await renders(page);

      // The header followed the run: many frames of events (at least 50 moments), each rendering the run's page.
      expect(counted['run-view']).toBeGreaterThan(20);
      // The graph renders when it opens and when xyflow measures its nodes, never for an event.
      expect(counted['run-graph']).toBeLessThanOrEqual(10);
      // The timeline follows the run about once a second (steps, clock, a read of its attempts).
      expect(counted['run-timeline']).toBeLessThanOrEqual(10 + 4 * seconds);
      expect(counted['run-timeline']).toBeLessThan(counted['run-view']!);
    } finally {
      await close();
    }
  }, 300_000);

  it('leaves the workflow canvas and its graph alone while the run on it moves', async () => {
    const { page, close } = await openCounting();
    try {
      await importAndOpen(page, harness.filesDir, layeredWorkflow('Wide canvas run'));
      await resetRenders(page);
      await page.getByRole('button', { name: 'Run here' }).click();
      const banner = page.locator('.canvas-run-banner');
      await banner.waitFor(ui);
      await expect.poll(() => banner.textContent(), { timeout: 240_000 }).toContain(`succeeded, ${total} of ${total} succeeded`);
      const counted = await renders(page);

      // Starting the run, its appearing and ending re-render the canvas a few times; its events never.
      expect(counted['workflow-canvas']).toBeLessThanOrEqual(10);
      expect(counted['editor-flow']).toBeLessThanOrEqual(10);
    } finally {
      await close();
    }
  }, 300_000);
});
