// The dashboard and run timelines end to end: `photon serve` with a temporary data folder and its
// real metrics sampler, driven in Debian's Chromium. One window watches the dashboard while another
// starts runs, as a user with two windows would.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1440, height: 1000 } });
const runTimeout = { timeout: 45_000 };

/** A step that keeps a core busy for about four seconds, then one that waits three. */
const busyWorkflow = {
  name: 'Spin then wait',
  workflow: [
    {
      step: 1,
      label: 'Spin',
      platform: 'shell',
      inputs: { command: 'end=$(( $(date +%s) + 4 )); n=0; while [ "$(date +%s)" -lt "$end" ]; do n=$((n+1)); done; echo "spun $n times"' },
    },
    { step: 2, label: 'Wait', platform: 'shell', dependencies: [1], inputs: { command: 'sleep 3; echo waited' } },
  ],
};

/** A step that fails its first two attempts (a counter in a file) and succeeds on the third. */
function flakyWorkflow(counter: string) {
  return {
    name: 'Flaky then fine',
    workflow: [
      {
        step: 1,
        label: 'Flaky',
        platform: 'shell',
        retryPolicy: { maxAttempts: 3, initialIntervalMs: 300, backoffCoefficient: 1 },
        inputs: {
          command: `n=$(cat '${counter}' 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > '${counter}'; echo "attempt $n"; sleep 1; [ "$n" -ge 3 ] || exit 1`,
        },
      },
    ],
  };
}

async function openDashboard(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor(ui);
}

/** Imports a workflow in a second window of the same browser and runs it there. */
async function runInAnotherWindow(context: BrowserContext, fileName: string, workflow: unknown): Promise<Page> {
  const page = await context.newPage();
  await page.goto(harness.server.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
  await page.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, fileName, workflow));
  await page.getByRole('heading', { level: 1, name: (workflow as { name: string }).name }).waitFor(ui);
  await page.getByRole('button', { name: 'Run workflow' }).click();
  await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
  return page;
}

const card = (page: Page, id: string) => page.locator(`.metric-card[data-metric="${id}"]`);
const cardValue = (page: Page, id: string) => card(page, id).locator('.metric-value').textContent();
const cardNote = (page: Page, id: string) => card(page, id).locator('.metric-note').textContent();
const chartSummary = (page: Page, title: string | RegExp) => page.getByRole('figure', { name: title }).locator('.chart-summary').textContent();

/** The statuses of a timeline row's bars, in attempt order. */
function barStatuses(page: Page, stepTitle: string): Promise<(string | null)[]> {
  return page
    .getByRole('region', { name: /timeline/i })
    .getByRole('row', { name: new RegExp(stepTitle) })
    .getByRole('listitem')
    .evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-status')));
}

describe('Dashboard in the browser', () => {
  it('shows the numbers change while a run goes and settle when it ends', async () => {
    const { context, page } = await openApp();
    try {
      await openDashboard(page);
      await expect.poll(() => cardValue(page, 'runs-running'), ui).toBe('0');
      expect(await cardValue(page, 'success-today')).toBe('—');
      expect(await cardNote(page, 'success-today')).toBe('no run ended today');

      const runner = await runInAnotherWindow(context, 'spin.json', busyWorkflow);

      // While it runs: the cards count it, and the live CPU chart has the shell steps' samples.
      await expect.poll(() => cardValue(page, 'runs-running'), ui).toBe('1');
      await expect.poll(() => cardValue(page, 'steps-running'), ui).toBe('1');
      await expect.poll(() => cardNote(page, 'runs-running'), ui).toBe('1 started today');
      // The newest run's timeline follows it, a bar growing while its step runs.
      const runningBar = page.getByRole('region', { name: 'Run timeline' }).locator('.timeline-bar[data-status="running"]');
      await expect.poll(() => runningBar.count(), ui).toBe(1);
      const firstLabel = await runningBar.getAttribute('aria-label');
      expect(firstLabel).toMatch(/^Attempt 1: Running, running for \d+\.\d s$/);
      await expect.poll(() => runningBar.getAttribute('aria-label'), ui).not.toBe(firstLabel);
      await expect.poll(() => chartSummary(page, /CPU by agent/), ui).toMatch(/: shell \d+(\.\d)? %/);
      await expect.poll(() => chartSummary(page, /Memory by agent/), ui).toMatch(/: shell \d+(\.\d+)? (KB|MB)/);
      await expect.poll(() => chartSummary(page, /Machine CPU and memory/), ui).toMatch(/CPU \d+(\.\d)? %, memory \d+(\.\d)? % of/);

      // When it ends: nothing running, the day's record counts one success.
      await expect.poll(() => cardValue(page, 'runs-running'), runTimeout).toBe('0');
      expect(await cardValue(page, 'steps-running')).toBe('0');
      await expect.poll(() => cardValue(page, 'success-today'), ui).toBe('100 %');
      expect(await cardNote(page, 'success-today')).toBe('1 of 1 ended runs succeeded');
      await expect.poll(() => chartSummary(page, /CPU by agent/), ui).toMatch(/No agent was running at the last sample/);
      await expect.poll(() => chartSummary(page, /Runs per hour/), ui).toBe('Last 24 hours: 1 started, 1 succeeded, 0 failed.');
      await expect.poll(() => chartSummary(page, /Step duration by tool/), ui).toMatch(/^shell: p50 \d/);
      await expect.poll(() => barStatuses(page, 'Spin'), ui).toEqual(['succeeded']);
      await expect.poll(() => barStatuses(page, 'Wait'), ui).toEqual(['succeeded']);

      // The run's own page: its timeline with each step's resource peaks, the busy step's CPU above zero.
      const spinRow = runner.getByRole('region', { name: 'Timeline' }).getByRole('row', { name: /Spin/ });
      await expect.poll(() => barStatuses(runner, 'Spin'), ui).toEqual(['succeeded']);
      const [peakCpu, peakMemory] = await spinRow.getByRole('cell').allTextContents();
      expect(peakCpu).toMatch(/^\d+(\.\d)? %$/);
      expect(Number.parseFloat(peakCpu!)).toBeGreaterThan(0);
      expect(peakMemory).toMatch(/^\d+(\.\d+)? (KB|MB)$/);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows every attempt of a retried step on the run timeline: two failed, then one succeeded', async () => {
    const { context, page } = await openApp();
    try {
      const runner = await runInAnotherWindow(context, 'flaky.json', flakyWorkflow(join(harness.filesDir, 'flaky-counter')));
      await openDashboard(page);

      for (const view of [runner, page]) {
        await expect.poll(() => barStatuses(view, 'Flaky'), runTimeout).toEqual(['failed', 'failed', 'succeeded']);
      }

      // On the run's page each bar says its attempt and status in words, and tells its details on
      // hover and on keyboard focus.
      const row = runner.getByRole('region', { name: 'Timeline' }).getByRole('row', { name: /Flaky/ });
      for (const [attempt, status] of [
        [1, 'Failed'],
        [2, 'Failed'],
        [3, 'Succeeded'],
      ] as const) {
        await row.getByRole('listitem', { name: new RegExp(`^Attempt ${attempt}: ${status}, \\d`) }).waitFor(ui);
      }
      const second = row.getByRole('listitem', { name: /^Attempt 2: Failed/ });
      expect(await second.textContent()).toContain('✕ Failed #2');
      await second.hover();
      const tip = runner.getByRole('tooltip').filter({ visible: true });
      await tip.waitFor(ui);
      expect(await tip.textContent()).toContain('Flaky · attempt 2 · ✕ Failed');
      expect(await tip.textContent()).toContain('code 1');
      expect(await tip.textContent()).toContain('exited with code 1');

      await runner.mouse.move(0, 0);
      await row.getByRole('listitem', { name: /^Attempt 3: Succeeded/ }).focus();
      await expect.poll(() => tip.textContent(), ui).toContain('Flaky · attempt 3 · ✓ Succeeded');
      expect(await tip.textContent()).toContain('code 0');
      // Escape puts the details away while the bar keeps focus.
      await runner.keyboard.press('Escape');
      await expect.poll(() => tip.count(), ui).toBe(0);
      expect(await row.getByRole('listitem', { name: /^Attempt 3: Succeeded/ }).evaluate((bar) => bar === document.activeElement)).toBe(true);
      // The bars of one row keep their order in time: each retry starts after the one before ended.
      const lefts = await row.getByRole('listitem').evaluateAll((bars) => bars.map((bar) => Number.parseFloat((bar as HTMLElement).style.left)));
      expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
      expect(new Set(lefts).size).toBe(3);
    } finally {
      await context.close();
    }
  }, 90_000);
});
