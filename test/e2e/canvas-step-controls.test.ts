// A step's own controls on the canvas, in Chromium against `photon serve`: a failed node says why
// (its exit code and reason), "Retry with my edit" runs that step alone with the saved fix and the
// earlier steps' outputs, "From here" runs it and the steps after it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const statusOf = (page: Page, step: number) => node(page, step).locator('.step-node').getAttribute('data-status');
const statuses = (page: Page) => Promise.all([1, 2, 3].map((step) => statusOf(page, step)));

const pipeline = {
  name: 'Fix and retry',
  workflow: [
    { step: 1, label: 'Fetch', platform: 'shell', inputs: { command: 'echo fetched' } },
    { step: 2, label: 'Parse', platform: 'shell', dependencies: [1], inputs: { command: 'echo "no parser yet" >&2; exit 3' } },
    { step: 3, label: 'Report', platform: 'shell', dependencies: [2], inputs: { command: 'echo "report: {{steps.2.output}}"' } },
  ],
  metadata: { layout: { positions: { '1': { x: 0, y: 0 }, '2': { x: 300, y: 0 }, '3': { x: 600, y: 0 } } } },
};

describe('step-level controls on the canvas', () => {
  it('shows why a step failed, retries it alone with the edit, then runs from it on', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, pipeline);
      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => statuses(page), ui).toEqual(['succeeded', 'failed', 'skipped']);

      // The failed node says how it ended without opening anything.
      const failure = node(page, 2).locator('.step-node-failure');
      await expect.poll(() => failure.textContent(), ui).toBe('exit 3no parser yet');

      // From the run's own page, "Edit and retry" leads back to the editor with that run on the nodes.
      await page.locator('.canvas-run-banner a').click();
      await page.waitForURL(/#\/runs\//, ui);
      const runCanvas = page.getByRole('region', { name: 'Run canvas' });
      await node(runCanvas, 2).getByRole('link', { name: 'Edit and retry' }).click();
      await page.getByRole('heading', { level: 1, name: 'Fix and retry' }).waitFor(ui);
      await expect.poll(() => statuses(page), ui).toEqual(['succeeded', 'failed', 'skipped']);

      // The fix, then a retry of that step alone: step 1 keeps its output and is not run again.
      await node(page, 2).click();
      await page.getByRole('complementary', { name: 'Inspector' }).getByRole('combobox', { name: 'Command' }).fill('echo "parsed {{steps.1.output}}"');
      const runsBefore = await page.evaluate(() => document.querySelector('.canvas-run-banner a')?.textContent);
      await node(page, 2).getByRole('button', { name: 'Retry with my edit: step 2' }).click();
      await expect.poll(() => page.evaluate(() => document.querySelector('.canvas-run-banner a')?.textContent), ui).not.toBe(runsBefore);
      await expect.poll(() => statuses(page), ui).toEqual(['succeeded', 'succeeded', 'skipped']);
      expect(await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).count()).toBe(0);
      expect(await node(page, 2).locator('.step-node-failure').count()).toBe(0);
      await node(page, 1).locator('.step-node-attempts').waitFor({ ...ui, state: 'detached' });

      // From here: step 2 and the step after it run, with the edit.
      await node(page, 2).click();
      await node(page, 2).getByRole('button', { name: 'Run from step 2 on' }).click();
      await expect.poll(() => statuses(page), ui).toEqual(['succeeded', 'succeeded', 'succeeded']);
      await node(page, 3).getByRole('button', { name: 'Show output of step 3' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Output of step 3' }).getByRole('log').textContent(), ui).toBe('report: parsed fetched');
    } finally {
      await context.close();
    }
  }, 90_000);
});
