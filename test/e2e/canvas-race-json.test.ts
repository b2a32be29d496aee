// A fan-out over an earlier step's JSON list and a race join, each set up in the inspector, end to
// end in Chromium against `photon serve`: the engine's message shows at the field it is about and
// goes once the field is right, and the run does what the canvas showed.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connect, importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const inspectorOf = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });
const statusOf = (page: Page, step: number) => node(page, step).locator('.step-node').getAttribute('data-status');

describe('fan-out and race set up in the inspector', () => {
  it('fans out over the list at a path of an earlier step’s JSON output, refused at its field until that step’s output is JSON', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1800, height: 1000 } });
    const inspector = inspectorOf(page);
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'Per file',
        workflow: [
          { step: 1, label: 'List files', platform: 'shell', inputs: { command: `echo '{"files": ["a.txt", "b.txt", "c.txt"]}'` } },
          { step: 2, label: 'Each file', platform: 'shell', dependencies: [1], inputs: { command: 'echo checked' } },
        ],
        metadata: { layout: { positions: { '1': { x: 0, y: 0 }, '2': { x: 340, y: 0 } } } },
      });
      await node(page, 2).click();
      await inspector.getByLabel('Run once per item').check();
      await inspector.getByRole('combobox', { name: 'Command' }).fill('echo "checked {{item}}"');
      await inspector.getByLabel('Items from').selectOption('step');
      await inspector.getByLabel('Path to the list in its JSON').fill('files');
      expect(await node(page, 2).locator('.step-node').getAttribute('data-kind')).toBe('fan-out');
      // Step 1 prints text as far as the workflow says: the engine's check says so at the Step field.
      const stepField = inspector.getByLabel('Step', { exact: true });
      await expect.poll(() => stepField.getAttribute('aria-invalid'), ui).toBe('true');
      const message = await inspector.locator('.fan-out-fields .field-error').textContent();
      expect(message).toMatch(/json/i);

      await node(page, 1).click();
      await inspector.getByLabel('Its output').selectOption('json');
      await node(page, 2).click();
      await expect.poll(() => stepField.getAttribute('aria-invalid'), ui).toBe('false');
      expect(await stepField.inputValue()).toBe('1');
      expect(await page.locator('.canvas-issues').count()).toBe(0);

      await page.getByRole('button', { name: 'Run here' }).click();
      const progress = node(page, 2).getByRole('progressbar', { name: 'Items done' });
      await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('3');
      await expect.poll(() => statusOf(page, 2), ui).toBe('succeeded');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('makes a race join from the palette: its racers picked among its dependencies, the first to succeed starts it and the other is cancelled', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1800, height: 1000 } });
    const inspector = inspectorOf(page);
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'First past the post',
        workflow: [
          { step: 1, label: 'Quick', platform: 'shell', inputs: { command: 'echo quick' } },
          { step: 2, label: 'Slow', platform: 'shell', inputs: { command: 'sleep 60; echo slow' } },
        ],
        metadata: { layout: { positions: { '1': { x: 0, y: 0 }, '2': { x: 0, y: 300 } } } },
      });
      const box = (await page.getByTestId('canvas').boundingBox())!;
      await page.dragAndDrop('.palette-item[data-kind="race"]', '[data-testid="canvas"]', { targetPosition: { x: box.width * 0.75, y: box.height * 0.5 } });
      await node(page, 3).waitFor(ui);
      await connect(page, 1, 3);
      await connect(page, 2, 3);
      await node(page, 3).click();

      // No racers chosen yet: the engine's refusal is under the race's boxes.
      const race = inspector.locator('.race-fields');
      await race.locator('.field-error').waitFor(ui);
      await race.getByLabel('Step 1: Quick').check();
      await race.getByLabel('Step 2: Slow').check();
      await race.locator('.field-error').waitFor({ ...ui, state: 'detached' });
      await expect.poll(() => node(page, 3).locator('.step-node-meta').textContent(), ui).toBe('Race of step 1, step 2 · Shell');
      expect(await node(page, 3).locator('.step-node').getAttribute('data-kind')).toBe('race');

      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => statusOf(page, 3), { timeout: 60_000 }).toBe('succeeded');
      await expect.poll(() => statusOf(page, 2), ui).toBe('cancelled');
      expect(await node(page, 2).locator('.step-node-note').textContent()).toBe('lost the race to step 1');
      await node(page, 3).getByRole('button', { name: 'Show output of step 3' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Output of step 3' }).getByRole('log').textContent(), ui).toBe('first: quick');
    } finally {
      await context.close();
    }
  }, 180_000);
});
