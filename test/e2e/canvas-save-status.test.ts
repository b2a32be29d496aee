// What the canvas says about saving, as a user reads it in the toolbar: never "Saved." beside
// "Unsaved changes", never a stale refusal, and a draft the user left without saving is gone.
import type { Dialog, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clickEmptyCanvas, node, openOneStepWorkflow } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Canvas' });
/** The toolbar's save status, e.g. "Saved" or "Unsaved changes". */
const saveStatus = (page: Page) => toolbar(page).locator('.canvas-dirty').textContent();
const addShellStep = (page: Page) => page.getByRole('region', { name: 'Step palette' }).getByRole('button', { name: /Shell/ }).click();

function answerNextDialog(page: Page, accept: boolean): Promise<Dialog> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog) => {
      void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(dialog));
    });
  });
}

describe('the canvas save status', () => {
  it('says Saved once, goes back to Saved on undo to the saved version, and never shows both', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Status words');
      await addShellStep(page);
      await expect.poll(() => saveStatus(page), ui).toBe('Unsaved changes');
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await expect.poll(() => saveStatus(page), ui).toBe('Saved');

      await addShellStep(page);
      await expect.poll(() => saveStatus(page), ui).toBe('Unsaved changes');
      // No leftover "Saved." beside the status.
      expect(await page.getByText('Saved.', { exact: true }).count()).toBe(0);

      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+z');
      await node(page, 3).waitFor({ state: 'detached', ...ui });
      await expect.poll(() => saveStatus(page), ui).toBe('Saved');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('takes back "Not saved: fix the problem" once the problem is fixed', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Fix then save');
      await node(page, 1).click();
      const command = page.getByRole('complementary', { name: 'Inspector' }).getByRole('combobox', { name: 'Command' });
      await command.fill('');
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      const refusal = page.getByRole('alert').filter({ hasText: 'Not saved: fix the problem marked on the canvas first.' });
      await refusal.waitFor(ui);

      await node(page, 1).click();
      await command.fill('echo fixed');
      await refusal.waitFor({ state: 'detached', ...ui });
      await expect.poll(() => saveStatus(page), ui).toBe('Unsaved changes');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('"Leave without saving" drops the draft: the saved version opens next time', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Left unsaved');
      const workflowUrl = page.url();
      await addShellStep(page);
      await node(page, 2).waitFor(ui);

      const asked = answerNextDialog(page, true);
      await page.locator('a.brand').click();
      await asked;
      await page.getByRole('heading', { level: 1, name: 'Photon' }).waitFor(ui);

      await page.goto(workflowUrl);
      await node(page, 1).waitFor(ui);
      await expect.poll(() => saveStatus(page), ui).toBe('Saved');
      expect(await node(page, 2).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});
