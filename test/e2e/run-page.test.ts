// A run's page as a user reads it after the fact: resuming it once the workflow was fixed, and
// opening a step's output from the canvas without the page around it moving.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

const stepRegion = (page: Page, step: number, title: string) => page.getByRole('region', { name: `Step ${step}: ${title}` });

/** Imports the workflow, runs it from its page and waits for the run to end with `status`. */
async function runToEnd(page: Page, workflow: { name: string; workflow: unknown[] }, status: string): Promise<void> {
  await importAndOpen(page, harness.filesDir, workflow);
  await page.getByRole('button', { name: 'Run workflow' }).click();
  await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
  await page.locator('.run-facts').getByText(status, { exact: true }).waitFor(ui);
}

describe('a run page', () => {
  it('says where Resume is that the saved workflow changed, and resumes with the saved version', async () => {
    const { context, page } = await harness.openApp();
    try {
      const workflow = {
        name: 'Fix and resume',
        workflow: [
          { step: 1, label: 'Prepare', platform: 'shell', inputs: { command: 'echo prepared' } },
          { step: 2, label: 'Check', platform: 'shell', dependencies: [1], inputs: { command: 'echo broken; exit 3' } },
        ],
      };
      await runToEnd(page, workflow, 'Failed');
      const runUrl = page.url();
      // Nothing changed yet: one plain Resume.
      await page.getByRole('button', { name: 'Resume run' }).waitFor(ui);

      // The user fixes step 2 on the canvas and saves.
      await page.getByRole('link', { name: 'Open workflow' }).click();
      await node(page, 2).click();
      const command = page.getByRole('complementary', { name: 'Inspector' }).getByRole('combobox', { name: 'Command' });
      await command.fill('echo fixed');
      await page.keyboard.press('Control+s');
      await page.getByRole('toolbar', { name: 'Canvas' }).getByText('Saved', { exact: true }).waitFor(ui);

      await page.goto(runUrl);
      const note = page.getByText('The saved workflow differs from this run: step 2 changed.');
      await note.waitFor(ui);
      const asSaved = page.getByRole('button', { name: 'Resume as saved' });
      expect(await asSaved.getAttribute('aria-describedby')).toBeTruthy();
      await page.getByRole('button', { name: 'Resume as it ran' }).waitFor(ui);

      await asSaved.click();
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor(ui);
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 2' }).textContent(), ui).toContain('fixed');
      // Step 1 succeeded before and did not change: it kept its one attempt.
      expect(await stepRegion(page, 1, 'Prepare').getByText('Attempts 1').count()).toBe(1);
      expect(await note.count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe('opening a step from the run canvas', () => {
  it("scrolls only the main area to the step's output: the app shell and its status bar stay put", async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1000, height: 700 } });
    try {
      const steps = Array.from({ length: 6 }, (_, i) => ({ step: i + 1, label: `Part ${i + 1}`, platform: 'shell', inputs: { command: `echo part ${i + 1}` } }));
      await runToEnd(page, { name: 'Six parts', workflow: steps }, 'Succeeded');

      // The six steps stand in a column taller than the canvas at a readable zoom; the run opens on
      // all of them, and the view is fitted again in case it has not yet. Clicked where it was cut
      // off (as it was when a fit stopped at zoom 0.6), the button was scrolled into view inside
      // the canvas, which xyflow scrolls back at once: under load it moved between press and
      // release (focused, never clicked, the log never shown) or lay under the timeline or the
      // status bar.
      await page.getByRole('region', { name: 'Run canvas' }).getByRole('button', { name: 'Fit View' }).click();
      await page.getByRole('button', { name: 'Show output of step 6' }).click();
      const log = page.getByRole('log', { name: 'Output of step 6' });
      await expect.poll(() => log.evaluate((element) => element === document.activeElement), ui).toBe(true);
      const shell = await page.evaluate(() => {
        const bar = document.querySelector('.status-bar')!.getBoundingClientRect();
        return {
          document: document.scrollingElement!.scrollTop,
          body: document.body.scrollTop,
          root: document.getElementById('root')!.scrollTop,
          app: document.querySelector('.app')!.scrollTop,
          barBottom: Math.round(bar.bottom),
          height: window.innerHeight,
        };
      });
      expect(shell).toEqual({ document: 0, body: 0, root: 0, app: 0, barBottom: 700, height: 700 });
      // The step's card is on screen inside the main area.
      const card = await page.locator('#run-step-6').boundingBox();
      const main = await page.locator('main').boundingBox();
      expect(card!.y).toBeGreaterThanOrEqual(main!.y - 1);
      expect(card!.y).toBeLessThan(main!.y + main!.height);
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe('a run page while the server is gone', () => {
  it('says so at the top, stops the clocks, disables Cancel, words its errors, and clears all that on reconnect', async () => {
    const { context, page } = await harness.openApp();
    try {
      const workflow = { name: 'Cut off', workflow: [{ step: 1, label: 'Wait', platform: 'shell', inputs: { command: 'echo waiting; sleep 60' } }] };
      await importAndOpen(page, harness.filesDir, workflow);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      const card = stepRegion(page, 1, 'Wait');
      await card.getByText('Running', { exact: true }).waitFor(ui);
      const cancel = page.getByRole('button', { name: 'Cancel run' });
      expect(await cancel.isEnabled()).toBe(true);
      const duration = card.locator('.duration');

      await harness.restartServer(async () => {
        const banner = page.locator('main').getByRole('alert').filter({ hasText: 'Not connected to Photon.' });
        await banner.waitFor(ui);
        expect(await cancel.isDisabled()).toBe(true);
        await page.locator('.run-facts').getByText('last known, not connected').waitFor(ui);
        // The step's time stands still: nobody knows whether it still runs.
        const frozen = await duration.textContent();
        const span = page.locator('.run-timeline .timeline-span');
        const frozenSpan = await span.textContent();
        await page.waitForTimeout(2500);
        expect(await duration.textContent()).toBe(frozen);
        expect(await span.textContent()).toBe(frozenSpan);

        // An action tried meanwhile fails in words, not with a bare code.
        await page.getByRole('button', { name: 'Pin Cut off' }).click();
        const notice = page.locator('.notices').getByRole('alert');
        await notice.waitFor(ui);
        expect(await notice.locator('.notice-message').textContent()).toMatch(/^Photon could not be reached: /);
      });

      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
      await page.locator('main').getByRole('alert').filter({ hasText: 'Not connected to Photon.' }).waitFor({ state: 'detached', ...ui });
      await page.locator('.notices').getByRole('alert').waitFor({ state: 'detached', ...ui });
      // The server stopped its run when it went: the page catches up.
      await page.locator('.run-facts').getByText('Interrupted', { exact: true }).waitFor(ui);
      // Its cut-short attempt reads the same on the step's node, its card and in the timeline.
      await card.locator('.badge').getByText('Interrupted', { exact: true }).waitFor(ui);
      expect(await page.getByTestId('run-canvas').locator('.step-node-status').textContent()).toContain('Interrupted');
      await expect.poll(() => page.locator('.timeline-bar').first().getAttribute('data-status'), ui).toBe('interrupted');
    } finally {
      await context.close();
    }
  }, 120_000);
});
