// A sub-workflow built on the canvas, end to end in Chromium against `photon serve`: picked by
// name in the inspector, which says which inputs the child reads and adds the missing one; run, its
// node links to the child run, and the child run's page links back to its parent.
import { describe, expect, it } from 'vitest';
import { connect, moveFirstStepLeft, node, openOneStepWorkflow } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

describe('a sub-workflow on the canvas', () => {
  it('is picked by name with the inputs its workflow reads, and its run links to the child run and back', async () => {
    await callServer(harness.server, 'workflows.save', {
      workflow: { name: 'Greeter', workflow: [{ step: 1, label: 'Greet', platform: 'shell', inputs: { command: 'echo "hello {{inputs.who}}"' } }] },
    });
    const { context, page } = await harness.openApp({ viewport: { width: 1800, height: 1000 } });
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Calls greeter');
      await moveFirstStepLeft(page);
      // From the keyboard: the palette's Sub-workflow pressed with Enter adds one in the middle.
      await page.locator('.palette-item[data-kind="workflow"]').focus();
      await page.keyboard.press('Enter');
      await node(page, 2).waitFor(ui);
      expect(await node(page, 2).locator('.step-node').getAttribute('data-kind')).toBe('workflow');
      await connect(page, 1, 2);

      await node(page, 2).click();
      await inspector.getByLabel('Workflow', { exact: true }).selectOption('Greeter');
      await inspector.getByText('It reads {{inputs.who}}, not passed yet.').waitFor(ui);
      await inspector.getByRole('button', { name: 'Add who' }).click();
      await inspector.getByLabel('Value of input 1').fill('{{steps.1.output}}');
      await inspector.getByText('It reads {{inputs.who}}.').waitFor(ui);
      expect(await node(page, 2).locator('.step-node-meta').textContent()).toBe('Sub-workflow: Greeter');

      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => node(page, 2).locator('.step-node').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
      await node(page, 2).getByRole('link', { name: /Open its run/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Greeter' }).waitFor(ui);
      await expect.poll(() => page.locator('#run-step-1 [role="log"]').textContent(), ui).toBe('hello start');

      const origin = page.locator('.run-origin');
      await expect.poll(() => origin.textContent(), ui).toBe('Sub-workflow of step 2 in the run of Calls greeter');
      await origin.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Calls greeter' }).waitFor(ui);
      // The child run is marked as one in the run list.
      await page.getByRole('navigation', { name: 'Workflows and runs' }).getByText('Sub-workflow run').waitFor({ ...ui, state: 'attached' });
    } finally {
      await context.close();
    }
  }, 180_000);
});
