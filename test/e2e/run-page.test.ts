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
