// The page of a run with many steps draws a page of step cards and timeline rows, not all of
// them (a 1,000-step run drew and laid out 1,000 of each at every event), and still brings any
// step's card into view when its node asks for it.
import { describe, expect, it } from 'vitest';
import { importAndOpen } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const count = 120;

describe('the page of a run with many steps', () => {
  it('draws the first 40 cards and timeline rows, more as the list scrolls or on request, and any card a node opens', async () => {
    const { context, page } = await harness.openApp();
    try {
      const workflow = {
        name: 'Many steps',
        workflow: Array.from({ length: count }, (_, i) => ({ step: i + 1, label: `Part ${i + 1}`, platform: 'shell', inputs: { command: `echo part ${i + 1}` } })),
      };
      await importAndOpen(page, harness.filesDir, workflow);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor({ timeout: 120_000 });

      const steps = page.getByRole('list', { name: 'Steps' });
      await steps.getByText(`Showing 40 of ${count} steps`).waitFor(ui);
      expect(await steps.locator('.step-card').count()).toBe(40);
      await page.getByText(`Showing 40 of ${count} steps.`).waitFor(ui);
      expect(await page.locator('.timeline-table tbody tr').count()).toBe(40);

      // A node far down the list opens its step's output: the card is drawn and focused.
      await page.getByRole('button', { name: `Show output of step ${count - 5}` }).dispatchEvent('click');
      const log = page.getByRole('log', { name: `Output of step ${count - 5}` });
      await expect.poll(() => log.evaluate((element) => element === document.activeElement), ui).toBe(true);
      await expect.poll(() => log.textContent(), ui).toContain(`part ${count - 5}`);

      expect(await steps.locator('.step-card').count()).toBeGreaterThanOrEqual(count - 5);

      // Scrolling to the end of the list draws the rest.
      await page.locator('main').evaluate((main) => (main.scrollTop = main.scrollHeight));
      await expect.poll(() => steps.locator('.step-card').count(), ui).toBe(count);
      await page.locator('.run-timeline').getByRole('button', { name: `Show all ${count}` }).click();
      await expect.poll(() => page.locator('.timeline-table tbody tr').count(), ui).toBe(count);
    } finally {
      await context.close();
    }
  }, 180_000);
});
