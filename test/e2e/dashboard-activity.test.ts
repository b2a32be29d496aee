// The dashboard's Activity at a glance, in Chromium against `photon serve`: a range picker, the
// live charts' legends showing values without a hover, and a click on a bar of the runs chart
// listing the runs behind it, each a link to its page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const runsChart = (page: Page) => page.getByRole('figure', { name: /^Runs per/ });
const behind = (page: Page) => page.getByRole('region', { name: /^Runs/ });

async function finishedRun(name: string, command: string): Promise<string> {
  const { runId } = (await callServer(harness.server, 'runs.start', { workflow: { name, workflow: [{ step: 1, platform: 'shell', inputs: { command } }] } })) as { runId: string };
  await expect
    .poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, ui)
    .not.toBe('running');
  return runId;
}

describe('the dashboard at a glance', () => {
  it('picks a time range, and goes from a bar of the runs chart to the runs behind it', async () => {
    const passed = await finishedRun('Nightly build', 'echo ok');
    await finishedRun('Flaky deploy', 'exit 1');
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${harness.server.url}#/dashboard`);
      const range = page.getByRole('combobox', { name: 'Range' });
      await expect.poll(() => range.inputValue(), ui).toBe('24h');
      await expect.poll(() => runsChart(page).locator('.chart-summary').textContent(), ui).toBe('Last 24 hours: 2 started, 1 succeeded, 1 failed.');
      // The legend names every series without a hover.
      expect(await runsChart(page).locator('.u-legend .u-label').allTextContents()).toEqual(expect.arrayContaining(['Started', 'Succeeded', 'Failed']));
      // Below the charts, the range's runs; each opens its page.
      await expect.poll(() => behind(page).getByRole('heading').textContent(), ui).toBe('Runs, last 24 hours: 2 runs');

      // A click on the newest bar (this hour) lists its runs.
      const plot = runsChart(page).locator('.u-over');
      const over = (await plot.boundingBox())!;
      const bucketWidth = over.width / 25;
      await plot.click({ position: { x: over.width - bucketWidth / 2, y: over.height - 4 } });
      // (Both runs, unless the hour turned between them.)
      await expect.poll(() => behind(page).getByRole('heading').textContent(), ui).toMatch(/^Runs .+ – .+: (2 runs|1 run)$/);
      await behind(page).getByRole('button', { name: 'Show the whole range' }).waitFor(ui);
      // A bar of an earlier hour, with nothing in it, says so.
      await plot.click({ position: { x: bucketWidth * 1.5, y: over.height - 4 } });
      await expect.poll(() => behind(page).getByRole('heading').textContent(), ui).toMatch(/: 0 runs$/);
      await behind(page).getByText('No run started or ended then.').waitFor(ui);
      await behind(page).getByRole('button', { name: 'Show the whole range' }).click();
      await expect.poll(() => behind(page).getByRole('heading').textContent(), ui).toBe('Runs, last 24 hours: 2 runs');

      // Another range: other buckets, the same runs, remembered after a reload.
      await range.selectOption('7d');
      await expect.poll(() => runsChart(page).getAttribute('aria-labelledby').then(() => runsChart(page).locator('figcaption').textContent()), ui).toBe(
        'Runs per 6 h, last 7 days (click a bar for its runs)',
      );
      await expect.poll(() => runsChart(page).locator('.chart-summary').textContent(), ui).toBe('Last 7 days: 2 started, 1 succeeded, 1 failed.');
      await page.reload();
      await expect.poll(() => page.getByRole('combobox', { name: 'Range' }).inputValue(), ui).toBe('7d');

      await behind(page).getByRole('link', { name: 'Nightly build' }).click();
      await page.waitForURL(new RegExp(`#/runs/${passed}$`), ui);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the live charts’ newest values in their legends without a hover', async () => {
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow: { name: 'Busy', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'sleep 6' } }] } })) as { runId: string };
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${harness.server.url}#/dashboard`);
      const machine = page.getByRole('figure', { name: /Machine CPU and memory/ });
      await expect.poll(async () => (await machine.locator('.u-legend .u-value').allTextContents()).filter((v) => v !== '' && v !== '—').length, ui).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
      await callServer(harness.server, 'runs.cancel', { runId });
    }
  }, 60_000);
});
