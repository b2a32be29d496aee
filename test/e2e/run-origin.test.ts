// Where a run came from, in the run list, end to end in Chromium against `photon serve`: a run a
// webhook started is marked as such in the sidebar's recent runs (its words for screen readers, the
// kind shown), and the page it opens says which webhook.
import { describe, expect, it } from 'vitest';
import { webhookPath } from '../../shared/schedules.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

describe('a run started by a trigger, in the run list', () => {
  it('is marked with the kind and name of what started it, and its page says so', async () => {
    const saved = (await callServer(harness.server, 'workflows.save', { workflow: { name: 'Hooked', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo hooked' } }] } })) as { id: string };
    const created = (await callServer(harness.server, 'triggers.add', { kind: 'webhook', workflowId: saved.id, name: 'on deploy' })) as { trigger: { id: string }; secret: string };
    const { context, page } = await harness.openApp();
    try {
      const called = await fetch(`http://127.0.0.1:${harness.server.port}${webhookPath(created.trigger.id)}`, { method: 'POST', headers: { 'x-photon-secret': created.secret } });
      expect(called.status).toBe(202);
      await called.body?.cancel();

      const runs = page.getByRole('navigation', { name: 'Workflows and runs' }).locator('a[href^="#/runs/"]', { hasText: 'Hooked' });
      await runs.first().waitFor(ui);
      const mark = runs.first().locator('.nav-trigger');
      expect(await mark.getAttribute('title')).toBe('Started by webhook “on deploy”');
      expect(await mark.locator('[aria-hidden="true"]').textContent()).toBe('webhook');
      expect(await mark.locator('.visually-hidden').textContent()).toBe('Started by webhook “on deploy”');

      await runs.first().click();
      await page.locator('.run-origin').getByText('Started by webhook “on deploy”').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 120_000);
});
