// Remote access turned on from the Settings page, end to end: `photon serve` (the engine's Node
// host) and Chromium. The engine starts the HTTPS listener on this machine's own network address
// (Linux delivers it locally: no test traffic leaves the machine); a client pinning the fingerprint
// the page shows reaches the API with a key made in the page, and is refused once it is revoked
// there. Plain HTTP beyond loopback is refused at its field, and the settings outlive a restart.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lanAddress } from '../fixtures/network.js';
import { pinnedGet } from '../server/auth/pinned-client.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

async function openSettings(page: Page) {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(ui);
  return page.getByRole('region', { name: 'Remote access' });
}

/** The address, port and fingerprint the page says it listens at. */
async function listening(page: Page): Promise<{ port: number; pin: string }> {
  const remote = page.getByRole('region', { name: 'Remote access' });
  const status = remote.getByRole('status', { name: 'Remote access status' });
  await status.waitFor(ui);
  const text = await status.innerText();
  const port = Number(new RegExp(`https://${lanAddress!.replaceAll('.', '\\.')}:(\\d+)/`).exec(text)?.[1]);
  const pin = await status.getByLabel('Certificate fingerprint').innerText();
  return { port, pin };
}

describe('Settings: remote access', () => {
  it('listens beyond loopback over TLS once turned on, takes a key made in the page, refuses it once revoked, and keeps its settings', async () => {
    expect(lanAddress, 'this test needs a non-loopback IPv4 address on this machine').toBeDefined();
    let firstPin = '';
    const { context, page } = await harness.openApp();
    try {
      const remote = await openSettings(page);
      await remote.getByRole('status').getByText('Off: nothing listens beyond this app.').waitFor(ui);

      const form = remote.getByRole('form', { name: 'Remote access settings' });
      await form.getByLabel('Serve Photon to other machines').check();
      await form.getByLabel('Listen address').fill(lanAddress!);
      await form.getByLabel('Port').fill('0');
      await form.getByLabel('Rate per API key').fill('fast');
      await form.getByText('not a rate; write requests per window, such as 600/min, 20/s or 5000/h, or off').waitFor(ui);
      expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await form.getByLabel('Rate per API key').fill('600/min');

      // Plain HTTP beyond loopback: refused at the certificate field, with the reason; still off.
      await form.getByLabel('Certificate').selectOption({ label: 'None: plain HTTP, on 127.0.0.1 only' });
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByText(`refusing plain HTTP on ${lanAddress}: beyond loopback anyone on the network could read every request, keys included.`, { exact: false }).waitFor(ui);
      expect(await form.getByLabel('Certificate').getAttribute('aria-invalid')).toBe('true');
      await remote.getByRole('status').getByText('Off: nothing listens beyond this app.').waitFor(ui);

      await form.getByLabel('Certificate').selectOption({ label: "Photon's own certificate (its fingerprint is shown to pin)" });
      await form.getByRole('button', { name: 'Save' }).click();
      const { port, pin } = await listening(page);
      expect(port).toBeGreaterThan(0);
      expect(pin).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      firstPin = pin;

      const keys = page.getByRole('region', { name: 'API keys' });
      const keyForm = keys.getByRole('form', { name: 'Make an API key' });
      await keyForm.getByLabel('Name').fill('laptop');
      await keyForm.getByLabel('Scope').selectOption('read');
      await keyForm.getByRole('button', { name: 'Make key' }).click();
      const shown = keys.getByRole('group', { name: 'New key laptop' });
      const secret = await shown.getByLabel('The new key').inputValue();
      await shown.getByRole('button', { name: 'Done, hide it' }).click();

      // pinnedGet checks the presented certificate against the page's fingerprint before sending the key.
      const operations = () => pinnedGet(lanAddress!, port, '/api/v1/operations', pin, { 'x-api-key': secret });
      const allowed = await operations();
      expect(allowed.status).toBe(200);
      expect(JSON.parse(allowed.body)).toMatchObject({ success: true });

      await keys.getByRole('row', { name: /^laptop / }).getByRole('button', { name: 'Revoke laptop' }).click();
      await page.getByRole('dialog', { name: 'Revoke "laptop"?' }).getByRole('button', { name: 'Revoke' }).click();
      await keys.getByRole('row', { name: /^laptop / }).getByText(/^Revoked /).waitFor(ui);
      const refused = await operations();
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ success: false, error: { code: 'unauthorized' } });
    } finally {
      await context.close();
    }

    // The settings persist: the next server listens again with the same certificate.
    await harness.restartServer(async () => {});
    const again = await harness.openApp();
    try {
      await openSettings(again.page);
      expect((await listening(again.page)).pin).toBe(firstPin);
      const form = again.page.getByRole('form', { name: 'Remote access settings' });
      expect(await form.getByLabel('Serve Photon to other machines').isChecked()).toBe(true);
      expect(await form.getByLabel('Listen address').inputValue()).toBe(lanAddress);
      // Off from the page: nothing listens there any more.
      await form.getByLabel('Serve Photon to other machines').uncheck();
      await form.getByRole('button', { name: 'Save' }).click();
      await again.page.getByRole('region', { name: 'Remote access' }).getByRole('status').getByText('Off: nothing listens beyond this app.').waitFor(ui);
    } finally {
      await again.context.close();
    }
  }, 180_000);
});
