// The Settings page end to end: `photon serve` and Chromium. A key made in the page is shown once,
// opens the REST API, shows its last use, survives a revoke answered with Escape, and stops working
// the moment it is revoked there; the
// audit log lists what happened and exports it as JSON lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/access.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { savedDownload } from './support/chromium.js';

const harness = useUiHarness();

async function health(key: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${harness.server.port}/health`, { headers: { 'x-api-key': key } });
  await response.body?.cancel();
  return response.status;
}

describe('Settings: API keys and the audit log', () => {
  it('makes a key shown once, shows its use, revokes it at once, and exports the log', async () => {
    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(ui);
      const keys = page.getByRole('region', { name: 'API keys' });
      await keys.getByText('No API keys yet.').waitFor(ui);

      const form = keys.getByRole('form', { name: 'Make an API key' });
      await form.getByLabel('Name').fill('bad/name');
      await form.getByText(/use letters, digits/).waitFor(ui);
      expect(await form.getByRole('button', { name: 'Make key' }).isDisabled()).toBe(true);
      await form.getByLabel('Name').fill('ci');
      await form.getByLabel('Scope').selectOption('run');
      await form.getByLabel('Expires').selectOption({ label: '30 days' });
      await form.getByRole('button', { name: 'Make key' }).click();

      const shown = keys.getByRole('group', { name: 'New key ci' });
      await shown.waitFor(ui);
      const secret = await shown.getByLabel('The new key').inputValue();
      expect(secret).toMatch(/^photon_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
      const prefix = secret.slice(7, 15);
      const row = keys.getByRole('row', { name: /^ci / });
      await row.getByText('Active, expires in 30 days').waitFor(ui);
      expect(await row.getByRole('cell').allTextContents()).toEqual([prefix, 'run', 'Active, expires in 30 days', 'Never used', 'Revoke']);

      // Shown once: after Done, neither the page nor a reload has it.
      await shown.getByRole('button', { name: 'Done, hide it' }).click();
      await shown.waitFor({ state: 'detached', ...ui });
      expect(await page.content()).not.toContain(secret);

      expect(await health(secret)).toBe(200);
      await keys.getByRole('button', { name: 'Refresh' }).click();
      await row.getByText(/ from 127\.0\.0\.1$/).waitFor(ui);

      // Escape says no: the question goes and the key still works.
      await row.getByRole('button', { name: 'Revoke ci' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke "ci"?' });
      await dialog.waitFor(ui);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached', ...ui });
      expect(await health(secret)).toBe(200);

      await row.getByRole('button', { name: 'Revoke ci' }).click();
      await dialog.getByRole('button', { name: 'Revoke' }).click();
      await row.getByText(/^Revoked /).waitFor(ui);
      expect(await health(secret)).toBe(401);

      const audit = page.getByRole('region', { name: 'Audit log' });
      await audit.getByRole('button', { name: 'Refresh' }).click();
      const log = audit.getByRole('table', { name: 'Audit log' });
      await log.getByRole('rowheader', { name: 'Sign-in failed' }).waitFor(ui);
      expect(await log.getByRole('rowheader').allTextContents()).toEqual(['Sign-in failed', 'Key revoked', 'Key used', 'Key made']);

      const [download] = await Promise.all([page.waitForEvent('download'), audit.getByRole('button', { name: 'Export as JSON lines' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^photon-audit-\d{4}-\d{2}-\d{2}\.jsonl$/);
      const exported = readFileSync(await savedDownload(download), 'utf8');
      const lines = exported.trimEnd().split('\n');
      const entries = lines.map((line) => JSON.parse(line) as AuditEntry);
      expect(entries.map((e) => [e.kind, e.keyPrefix])).toEqual([
        ['key.created', prefix],
        ['key.used', prefix],
        ['key.revoked', prefix],
        ['auth.failed', prefix],
      ]);
      expect(exported).not.toContain(secret.slice(16));
    } finally {
      await context.close();
    }
  }, 120_000);
});
