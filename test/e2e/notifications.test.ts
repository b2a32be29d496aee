// Notifications and pins in the browser host, in Chromium against `photon serve`: the page's
// Notification is wrapped by a recorder that hands every call on to the real one, so the test sees
// exactly what the user would be shown.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

const harness = useUiHarness();

interface Shown {
  title: string;
  body: string | undefined;
}

declare global {
  interface Window {
    /** Every notification the page created, in order (the recorder's log). */
    shownNotifications: { title: string; body: string | undefined; notification: Notification }[];
  }
}

/** Opens the app with notifications allowed by the browser and recorded by the page. */
async function openRecordedApp(): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await harness.openApp();
  await context.grantPermissions(['notifications'], { origin: harness.server.origin });
  await context.addInitScript(() => {
    const Real = window.Notification;
    window.shownNotifications = [];
    class RecordedNotification extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.shownNotifications.push({ title, body: options?.body, notification: this });
      }
    }
    window.Notification = RecordedNotification;
  });
  await page.reload();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
  return { context, page };
}

const shown = (page: Page): Promise<Shown[]> => page.evaluate(() => window.shownNotifications.map(({ title, body }) => ({ title, body })));

async function importWorkflow(page: Page, fileName: string, workflow: unknown): Promise<void> {
  await page.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, fileName, workflow));
}

async function enableNotifications(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await page.getByText('Notifications on').waitFor(ui);
}

async function runWorkflow(page: Page, name: string): Promise<string> {
  await page.getByRole('heading', { level: 1, name }).waitFor(ui);
  await page.getByRole('button', { name: 'Run workflow' }).click();
  await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
  return decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
}

/** Clicks the recorded notification the way the desktop does: its onclick handler, from another view. */
async function clickNotification(page: Page, title: string): Promise<void> {
  await page.evaluate(() => (location.hash = '#/'));
  await page.waitForURL((url) => url.hash === '#/', ui);
  await page.evaluate((wanted) => {
    const record = window.shownNotifications.find((n) => n.title === wanted);
    if (!record?.notification.onclick) throw new Error(`no clickable notification titled ${wanted}`);
    record.notification.onclick.call(record.notification, new Event('click'));
  }, title);
}

const failingBuild = {
  name: 'Release build',
  workflow: [
    { step: 1, label: 'Fetch sources', platform: 'shell', inputs: { command: "echo 'fetched 3 files'" } },
    { step: 2, label: 'Compile', platform: 'shell', dependencies: [1], inputs: { command: "echo 'main.c:12: error: expected ;' >&2; exit 3" } },
    { step: 3, label: 'Package', platform: 'shell', dependencies: [2], inputs: { command: "echo 'packaged'" } },
  ],
};

const askingDeploy = {
  name: 'Ask before deploy',
  workflow: [{ step: 1, label: 'Confirm target', platform: 'shell', inputs: { command: "printf 'Deploy to which host? '; read host; echo \"deploying to $host\"" } }],
};

describe('notifications in the browser', () => {
  it('asks for nothing until enabled, then names the failing step of a run; a click opens the run', async () => {
    const { context, page } = await openRecordedApp();
    try {
      await enableNotifications(page);
      await importWorkflow(page, 'release.json', failingBuild);
      const runId = await runWorkflow(page, 'Release build');

      await expect.poll(() => shown(page), ui).toHaveLength(1);
      const [note] = await shown(page);
      expect(note!.title).toBe('Release build failed');
      expect(note!.body).toMatch(/^Step 2 “Compile” failed \(exit code 3\) after \d+ s\. 1 step skipped\.$/);

      await clickNotification(page, 'Release build failed');
      await page.waitForURL((url) => url.hash === `#/runs/${encodeURIComponent(runId)}`, ui);
      await page.getByRole('region', { name: 'Step 2: Compile' }).getByText('Failed', { exact: true }).waitFor(ui);

      // Turned off in the page: the next run ends quietly.
      await page.getByRole('button', { name: 'Turn off' }).click();
      await page.getByRole('button', { name: 'Enable notifications' }).waitFor(ui);
      await page.getByRole('navigation').getByRole('link', { name: /^Release build/ }).first().click();
      await runWorkflow(page, 'Release build');
      await page.locator('.run-facts').getByText('Failed', { exact: true }).waitFor(ui);
      expect(await shown(page)).toHaveLength(1);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('tells when a step waits for an answer in its terminal; a click opens its run', async () => {
    const { context, page } = await openRecordedApp();
    try {
      await enableNotifications(page);
      await importWorkflow(page, 'deploy.json', askingDeploy);
      const runId = await runWorkflow(page, 'Ask before deploy');

      await expect.poll(() => shown(page), { timeout: 20_000 }).toEqual([
        { title: 'Ask before deploy is waiting for input', body: 'Step 1 “Confirm target” is waiting for your answer in its terminal.' },
      ]);
      await clickNotification(page, 'Ask before deploy is waiting for input');
      await page.waitForURL((url) => url.hash === `#/runs/${encodeURIComponent(runId)}`, ui);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await page.locator('.run-facts').getByText('Cancelled', { exact: true }).waitFor(ui);
      await expect.poll(() => shown(page), ui).toHaveLength(2);
      expect((await shown(page))[1]).toEqual({ title: 'Ask before deploy was cancelled', body: '0 of 1 step succeeded, 1 cancelled.' });
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('pins', () => {
  it('a workflow pinned in the sidebar is listed first, after a reload too, and unpinned from its header', async () => {
    const { context, page } = await harness.openApp();
    try {
      const sidebarNames = () =>
        page
          .getByRole('region', { name: 'Workflows' })
          .locator('.nav-title')
          .allTextContents();
      await importWorkflow(page, 'alpha.json', { name: 'Alpha pipeline', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] });
      await page.getByRole('heading', { level: 1, name: 'Alpha pipeline' }).waitFor(ui);
      await importWorkflow(page, 'beta.json', { name: 'Beta pipeline', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] });
      await page.getByRole('heading', { level: 1, name: 'Beta pipeline' }).waitFor(ui);
      await expect.poll(sidebarNames, ui).not.toEqual([]);
      expect((await sidebarNames())[0]).toBe('Beta pipeline');

      const pin = page.getByRole('button', { name: 'Pin Alpha pipeline' });
      expect(await pin.getAttribute('aria-pressed')).toBe('false');
      await pin.click();
      await expect.poll(async () => (await sidebarNames())[0], ui).toBe('Alpha pipeline');
      expect(await pin.getAttribute('aria-pressed')).toBe('true');

      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      await expect.poll(async () => (await sidebarNames())[0], ui).toBe('Alpha pipeline');
      expect(await page.getByRole('button', { name: 'Pin Alpha pipeline' }).getAttribute('aria-pressed')).toBe('true');

      await page.getByRole('navigation').getByRole('link', { name: /^Alpha pipeline/ }).click();
      const headerPin = page.locator('.view-actions').getByRole('button', { name: 'Pin' });
      await expect.poll(() => headerPin.getAttribute('aria-pressed'), ui).toBe('true');
      await headerPin.click();
      await expect.poll(() => headerPin.getAttribute('aria-pressed'), ui).toBe('false');
      await expect.poll(async () => (await sidebarNames())[0], ui).toBe('Beta pipeline');
    } finally {
      await context.close();
    }
  }, 60_000);
});
