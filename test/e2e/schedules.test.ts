// A saved workflow's schedules and triggers in the app, end to end: `photon serve` and Chromium.
// A bad cron expression is refused naming it; a schedule shows when it fires next, turns off and is
// removed; a new webhook's URL and secret are shown once, and calling that URL with the secret
// starts a run whose page says the webhook started it.
import { describe, expect, it } from 'vitest';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

describe('Schedules and triggers of a saved workflow', () => {
  it('adds a schedule with its next time, and a webhook whose secret is shown once and starts a run', async () => {
    const { id } = (await callServer(harness.server, 'workflows.save', {
      workflow: { name: 'Nightly build', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo built' }, dependencies: [] }] },
    })) as { id: string };
    const { context, page } = await harness.openApp();
    try {
      await page.goto(`${harness.server.url}#/workflows/${id}`);
      await page.getByRole('button', { name: 'Schedules…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Schedules and triggers of Nightly build' });
      const schedules = dialog.getByRole('region', { name: 'Schedules' });
      await schedules.getByText('No schedules.').waitFor(ui);

      const form = schedules.getByRole('form', { name: 'Add a schedule' });
      await form.getByLabel('Cron expression').fill('61 * * * *');
      await form.getByLabel('Time zone').fill('UTC');
      await form.getByRole('button', { name: 'Add schedule' }).click();
      await form.getByRole('alert').filter({ hasText: 'cron "61 * * * *" is not valid (Invalid value for minute: 61)' }).waitFor(ui);

      await form.getByLabel('Cron expression').fill('0 2 * * *');
      await form.getByLabel('Name').fill('nightly');
      await form.getByRole('button', { name: 'Add schedule' }).click();
      const nightly = schedules.getByRole('listitem', { name: 'Schedule nightly' });
      await nightly.getByText(/^Next: .+ \(in (\d+ min|\d+ h|under a minute)\)$/).waitFor(ui);
      expect(await form.getByRole('alert').count()).toBe(0);

      // Named with its schedule, as Remove is: with several listed, a screen reader tells them apart.
      await dialog.getByRole('button', { name: 'Turn off schedule nightly', exact: true }).click();
      await nightly.getByText('Next: Off').waitFor(ui);
      await dialog.getByRole('button', { name: 'Turn on schedule nightly', exact: true }).waitFor(ui);

      const triggers = dialog.getByRole('region', { name: 'Triggers' });
      const triggerForm = triggers.getByRole('form', { name: 'Add a trigger' });
      await triggerForm.getByLabel('Name').fill('on push');
      await triggerForm.getByRole('button', { name: 'Add trigger' }).click();
      const shown = dialog.getByRole('group', { name: 'New webhook on push' });
      await shown.waitFor(ui);
      const url = await shown.getByLabel('URL').inputValue();
      const secret = await shown.getByLabel('The webhook\'s secret').inputValue();
      expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${harness.server.port}/api/v1/hooks/[0-9a-f]{12}$`));
      expect(secret).toMatch(/^phwh_[A-Za-z0-9_-]{43}$/);
      await triggers.getByRole('listitem', { name: 'Trigger on push' }).getByText(url).waitFor(ui);
      await dialog.getByRole('button', { name: 'Turn off trigger on push', exact: true }).waitFor(ui);

      // Shown once: after Done the page no longer has it.
      await shown.getByRole('button', { name: 'Done, hide it' }).click();
      await shown.waitFor({ state: 'detached', ...ui });
      expect(await page.content()).not.toContain(secret);

      const wrong = await fetch(url, { method: 'POST', headers: { 'x-photon-secret': 'phwh_wrong' } });
      expect(wrong.status).toBe(401);
      await wrong.body?.cancel();
      const called = await fetch(url, { method: 'POST', headers: { 'x-photon-secret': secret } });
      expect(called.status).toBe(202);
      const { data } = (await called.json()) as { data: { runId: string } };

      await nightly.getByRole('button', { name: 'Remove schedule nightly' }).click();
      await schedules.getByText('No schedules.').waitFor(ui);
      await dialog.getByRole('button', { name: 'Close' }).click();

      await page.goto(`${harness.server.url}#/runs/${data.runId}`);
      await page.locator('#main').getByText('Started by webhook “on push”').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('keeps a long name to what the engine takes, so a schedule or trigger with a long pasted name is added', async () => {
    const { id } = (await callServer(harness.server, 'workflows.save', {
      workflow: { name: 'Long names', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo hi' }, dependencies: [] }] },
    })) as { id: string };
    const { context, page } = await harness.openApp();
    try {
      await page.goto(`${harness.server.url}#/workflows/${id}`);
      await page.getByRole('button', { name: 'Schedules…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Schedules and triggers of Long names' });
      const long = `Ü🚀${'n'.repeat(198)}`;
      const kept = long.slice(0, 100);

      const schedules = dialog.getByRole('region', { name: 'Schedules' });
      const form = schedules.getByRole('form', { name: 'Add a schedule' });
      await form.getByLabel('Name').fill(long);
      await form.getByRole('button', { name: 'Add schedule' }).click();
      await schedules.getByRole('listitem', { name: `Schedule ${kept}` }).waitFor(ui);

      const triggers = dialog.getByRole('region', { name: 'Triggers' });
      const triggerForm = triggers.getByRole('form', { name: 'Add a trigger' });
      await triggerForm.getByLabel('Name').fill(long);
      await triggerForm.getByRole('button', { name: 'Add trigger' }).click();
      await triggers.getByRole('listitem', { name: `Trigger ${kept}` }).waitFor(ui);
      expect(await dialog.getByRole('alert').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
