// The approval rules editor on the Approvals page, in Chromium against `photon serve`: the rules of
// a saved workflow are written there, saved, and read back after a reload.
import { describe, expect, it } from 'vitest';
import { importAndOpen } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

describe('Approval rules', () => {
  it("are set for a saved workflow, saved, and shown again after a reload", async () => {
    const { context, page } = await harness.openApp();
    try {
      await importAndOpen(page, harness.filesDir, { name: 'Release notes', workflow: [{ step: 1, label: 'Draft', platform: 'shell', inputs: { command: 'echo draft' } }] });
      const approvals = () => page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await approvals().click();
      const rules = page.getByRole('region', { name: 'Rules' });
      await rules.getByLabel('Rules of').selectOption('workflow');
      await rules.getByLabel('Workflow', { exact: true }).selectOption({ label: 'Release notes' });
      await rules.getByText('No rules: every request of this workflow waits in the inbox.').waitFor(ui);
      await rules.getByRole('button', { name: 'Add a rule' }).click();
      await rules.getByRole('listitem', { name: /^Rule 1: / }).getByLabel('Command starts with').fill('git status');
      await rules.getByRole('button', { name: 'Save rules' }).click();
      await rules.getByRole('status').filter({ hasText: 'Saved 1 rule.' }).waitFor(ui);

      await page.reload();
      await approvals().click();
      await rules.getByLabel('Rules of').selectOption('workflow');
      await rules.getByLabel('Workflow', { exact: true }).selectOption({ label: 'Release notes' });
      const saved = rules.getByRole('listitem', { name: /^Rule 1: / });
      await saved.waitFor(ui);
      expect(await saved.getByLabel('Command starts with').inputValue()).toBe('git status');
      expect(await rules.getByRole('listitem').count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
