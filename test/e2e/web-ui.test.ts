// The renderer end to end: `photon serve` with a temporary data folder, driven in Debian's
// Chromium through Playwright, the way a user drives it.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, runPhotonCli } from './support/photon-server.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { longWorkflow, threeStepWorkflow, writeWorkflowFile } from './support/workflows.js';

const screenshotPath = join(repoRoot, 'docs', 'screenshot.png');
const harness = useUiHarness();
const openApp = () => harness.openApp();

function stepRegion(page: Page, step: number, title: string) {
  return page.getByRole('region', { name: `Step ${step}: ${title}` });
}

async function importWorkflow(page: Page, fileName: string, workflow: unknown): Promise<void> {
  await page.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, fileName, workflow));
}

describe('Photon in the browser', () => {
  it('imports a workflow file, runs it and shows every step succeed', async () => {
    const { context, page } = await openApp();
    try {
      await importWorkflow(page, 'build.json', threeStepWorkflow);

      // The workflow view: its steps with platform, command and dependencies.
      await page.getByRole('heading', { level: 1, name: threeStepWorkflow.name }).waitFor(ui);
      expect(page.url()).toMatch(/#\/workflows\/[\w-]+$/);
      const rows = page.getByRole('table').getByRole('row');
      await expect.poll(() => rows.count()).toBe(4);
      const testRow = page.getByRole('row', { name: /Test/ });
      expect(await testRow.textContent()).toContain('step 1');
      expect(await testRow.textContent()).toContain("echo 'running 48 tests'");
      await page.getByRole('navigation').getByRole('link', { name: /Build, test and package/ }).waitFor(ui);

      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      for (const [index, step] of threeStepWorkflow.workflow.entries()) {
        await stepRegion(page, index + 1, step.label).getByText('Succeeded', { exact: true }).waitFor(ui);
      }
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor(ui);
      await page.getByText('3 of 3 steps succeeded').waitFor(ui);
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 2' }).textContent(), ui).toContain('48 passed');
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 3' }).textContent(), ui).toContain('from build: compiling 12 modules');
      // The sidebar's recent runs shows it with a status in words, not colour alone.
      await page.getByRole('navigation').getByRole('link', { name: /Build, test and package.*Succeeded/ }).waitFor(ui);
      await page.getByText('0 running').waitFor(ui);

      // A reload keeps the view, with the stored output.
      await page.reload();
      await stepRegion(page, 3, 'Package').getByText('Succeeded', { exact: true }).waitFor(ui);
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 1' }).textContent(), ui).toContain('build ok');

      if (process.env.PHOTON_UPDATE_SCREENSHOT === '1' || !existsSync(screenshotPath)) {
        mkdirSync(join(repoRoot, 'docs'), { recursive: true });
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshotPath });
      }
    } finally {
      await context.close();
    }
  }, 60_000);

  it('cancels a long run and offers to resume it', async () => {
    const { context, page } = await openApp();
    try {
      await importWorkflow(page, 'long.json', longWorkflow);
      // Keyboard only: the new view's title has focus, Tab reaches Run, Enter starts it.
      const title = page.getByRole('heading', { level: 1, name: 'Long wait' });
      await title.waitFor(ui);
      await expect.poll(() => title.evaluate((h) => h === document.activeElement), ui).toBe(true);
      await page.keyboard.press('Tab');
      expect(await page.getByRole('button', { name: 'Run workflow' }).evaluate((b) => b === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');

      const step = stepRegion(page, 1, 'Sleep a minute');
      await step.getByText('Running', { exact: true }).waitFor(ui);
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 1' }).textContent(), ui).toContain('sleeping');
      await page.getByText('1 running').waitFor(ui);

      await page.getByRole('button', { name: 'Cancel run' }).click();
      await step.getByText('Cancelled', { exact: true }).waitFor(ui);
      await page.locator('.run-facts').getByText('Cancelled', { exact: true }).waitFor(ui);
      await page.getByRole('button', { name: 'Resume run' }).waitFor(ui);
      expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
      await page.getByText('0 running').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows why an invalid workflow file is refused, with the places of its issues', async () => {
    const { context, page } = await openApp();
    try {
      const broken = { name: 'Broken', workflow: [{ step: 1, platform: 'shell', dependencies: [2], inputs: { command: 'true' } }] };
      await importWorkflow(page, 'broken.json', broken);
      const alert = page.getByRole('alert').filter({ hasText: 'broken.json' });
      await alert.waitFor(ui);
      expect(await alert.textContent()).toContain('workflow[0].dependencies[0]');
      expect(await alert.textContent()).toContain('step 2 does not exist');

      await importWorkflow(page, 'not-json.json', '{ "name": "x", ');
      await page.getByRole('alert').filter({ hasText: 'invalid JSON at line 1' }).waitFor(ui);
      expect(await page.getByRole('navigation').getByRole('link', { name: /Broken/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('deletes a workflow after confirmation', async () => {
    const { context, page } = await openApp();
    try {
      await importWorkflow(page, 'doomed.json', { ...threeStepWorkflow, name: 'Doomed workflow' });
      await page.getByRole('heading', { level: 1, name: 'Doomed workflow' }).waitFor(ui);

      await page.getByRole('button', { name: 'Delete workflow Doomed workflow' }).click();
      const dialog = page.getByRole('dialog', { name: /Delete “Doomed workflow”/ });
      await dialog.waitFor(ui);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached', ...ui });
      expect(await page.getByRole('navigation').getByRole('link', { name: /Doomed workflow/ }).count()).toBe(1);

      await page.getByRole('button', { name: 'Delete workflow Doomed workflow' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete workflow' }).click();
      await page.getByRole('navigation').getByRole('link', { name: /Doomed workflow/ }).waitFor({ state: 'detached', ...ui });
      await page.getByRole('heading', { level: 1, name: 'Photon' }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows engine errors with their code and message', async () => {
    const { context, page } = await openApp();
    try {
      await page.goto(`${harness.server.origin}/#/runs/no-such-run`);
      // In words first; the code stays on the element for support.
      await page.getByText('Not found: no run "no-such-run"', { exact: false }).waitFor(ui);
      expect(await page.getByRole('alert').getAttribute('data-code')).toBe('not_found');
      await page.getByText('no run "no-such-run"', { exact: false }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a page opened without the token', async () => {
    const context = await harness.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`${harness.server.origin}/`);
      expect(response?.status()).toBe(401);
      expect(await page.getByRole('navigation').count()).toBe(0);

      const wrong = await page.goto(`${harness.server.origin}/?token=not-the-token`);
      expect(wrong?.status()).toBe(401);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('reconnects after the server restarts and catches up on what changed meanwhile', async () => {
    const { context, page } = await openApp();
    try {
      await page.getByRole('navigation').getByRole('link', { name: /Build, test and package/ }).first().waitFor(ui);
      await harness.restartServer(async () => {
        await page.getByRole('status').filter({ hasText: 'Disconnected' }).waitFor(ui);
        // While the page is cut off, a run happens through the CLI on the same data.
        const file = writeWorkflowFile(harness.filesDir, 'offline.json', { ...threeStepWorkflow, name: 'Ran while offline' });
        const cli = await runPhotonCli(['run', file], harness.dataDir);
        expect(cli.code, cli.output).toBe(0);
      });
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
      await page.getByRole('navigation').getByRole('link', { name: /Ran while offline.*Succeeded/ }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 90_000);
});
