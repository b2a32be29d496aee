// The shield a user sees on a sandboxed step: on the workflow's canvas, and on the run's page (its
// step card and its canvas), with what the sandbox allows in its name; none on a step without one.
import { describe, expect, it } from 'vitest';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

const fencedWords = 'Sandboxed: writes its worktree; network off';

describe('a sandboxed step', () => {
  it('carries a shield on the canvas and on the run page, and a step without a sandbox does not', async () => {
    const { context, page } = await harness.openApp();
    try {
      const workflow = {
        name: 'Fenced build',
        workflow: [
          { step: 1, label: 'Fenced', platform: 'shell', inputs: { command: 'echo fenced' }, sandbox: { network: false } },
          { step: 2, label: 'Open', platform: 'shell', dependencies: [1], inputs: { command: 'echo open' } },
        ],
      };
      await importAndOpen(page, harness.filesDir, workflow);
      await node(page, 1).getByRole('img', { name: fencedWords }).waitFor(ui);
      expect(await node(page, 2).locator('.sandbox-shield').count()).toBe(0);

      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      // Ended either way: the shield is about the step's settings, not whether bwrap ran here.
      await page.locator('.run-facts').getByText(/^(Succeeded|Failed)$/).waitFor(ui);
      const card = (step: number, title: string) => page.getByRole('region', { name: `Step ${step}: ${title}` });
      await card(1, 'Fenced').getByRole('img', { name: fencedWords }).waitFor(ui);
      expect(await card(2, 'Open').locator('.sandbox-shield').count()).toBe(0);
      await node(page, 1).getByRole('img', { name: fencedWords }).waitFor(ui);
      expect(await node(page, 2).locator('.sandbox-shield').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});
