// Finding things on the canvas, in Chromium against `photon serve`: the Agent field offers the
// saved agents and warns about one that is not saved, the problems count takes you to the step
// with the problem, and `{{` suggestions name each step and are found by its label.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importAndOpen, node, selectedSteps } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const inspectorOf = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

const workflow = {
  name: 'Findings',
  workflow: [
    { step: 1, label: 'Fetch', platform: 'shell', inputs: { command: 'echo fetched' } },
    { step: 2, label: 'Parse', platform: 'shell', dependencies: [1], inputs: { command: 'echo parsed' } },
    { step: 3, label: 'Report', platform: 'shell', dependencies: [2], inputs: { command: 'echo report' } },
  ],
  metadata: { layout: { positions: { '1': { x: 0, y: 0 }, '2': { x: 300, y: 0 }, '3': { x: 600, y: 0 } } } },
};

describe('finding things on the canvas', () => {
  it('picks an agent from the saved ones and warns about one that is not saved', async () => {
    await callServer(harness.server, 'agents.save', { agent: { id: 'reviewer', name: 'Careful reviewer', tool: 'shell' } });
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, workflow);
      await node(page, 2).click();
      const agent = inspectorOf(page).getByRole('combobox', { name: 'Agent' });
      // The choices: auto and every saved agent, by id with its name.
      await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('.canvas-inspector datalist option')].map((o) => `${(o as HTMLOptionElement).value}: ${o.textContent}`)), ui).toEqual([
        'auto: auto: picked by capabilities',
        'reviewer: Careful reviewer · Shell',
      ]);
      await agent.fill('reviewer');
      await inspectorOf(page).getByText('Careful reviewer runs it with Shell').waitFor(ui);
      // A name that no agent has saves (the engine runs the platform) but says so.
      await agent.fill('reviewr');
      const warning = inspectorOf(page).getByRole('status').filter({ hasText: 'No saved agent “reviewr”' });
      await warning.waitFor(ui);
      expect(await agent.getAttribute('aria-describedby')).toBe(await warning.getAttribute('id'));
      await agent.fill('Careful reviewer');
      await inspectorOf(page).getByText('No saved agent has the id “Careful reviewer”; Careful reviewer’s id is “reviewer”.').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('takes the problems count to the step with the problem, and finds a {{ suggestion by the step’s label', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, workflow);
      await node(page, 3).click();
      const command = inspectorOf(page).getByRole('combobox', { name: 'Command' });
      await command.fill('echo ');
      await command.pressSequentially('{{pars');
      const choices = inspectorOf(page).getByRole('listbox', { name: 'Outputs of earlier steps' });
      await expect.poll(() => choices.getByRole('option').allTextContents(), ui).toEqual(['{{steps.2.output}} Parse']);
      await command.press('Enter');
      await expect.poll(() => command.inputValue(), ui).toBe('echo {{steps.2.output}}');

      // A problem on step 2, with step 3 selected: the count in the toolbar goes to it.
      await node(page, 2).click();
      await command.fill('');
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      await expect.poll(() => selectedSteps(page), ui).toEqual([]);
      await page.getByRole('toolbar', { name: 'Canvas' }).getByRole('button', { name: /1 problem/ }).click();
      await expect.poll(() => selectedSteps(page), ui).toEqual(['2']);
      await expect.poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.getAttribute('aria-invalid')}`), ui).toBe('TEXTAREA true');
      await inspectorOf(page).getByRole('alert').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 90_000);
});
