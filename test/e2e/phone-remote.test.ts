// A phone on the network follows a run live and cancels it: `photon serve --listen 0.0.0.0` (HTTPS
// with the certificate Photon makes), reached at this machine's own non-loopback address, which
// Linux delivers locally, so no test traffic leaves the machine. Chromium trusts exactly Photon's
// certificate by its public key's hash, the way a user pins the fingerprint `serve` prints.
import { createHash, X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { chromium, devices, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanAddress } from '../fixtures/network.js';
import { photon, processAlive, startServe, tempFolder, waitUntil } from '../server/cli/helpers.js';
import { chromiumPath } from './support/chromium.js';
import { failOnPageErrors } from './support/page-errors.js';
import { ui } from './support/ui-harness.js';

const { defaultBrowserType: _webkit, ...phone } = devices['iPhone 13'];
const temp = tempFolder();
const pageErrors = failOnPageErrors();
let server: ReturnType<typeof startServe> | undefined;
let origin = '';
let spkiHash = '';
let key = '';

/** The certificate the listener presents, checked against the fingerprint `serve` printed. */
function presentedCertificate(host: string, port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerX509Certificate();
      socket.destroy();
      if (certificate) resolve(certificate);
      else reject(new Error(`${host}:${port} presented no certificate`));
    });
  });
}

function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

/** Whether the document is wider than the phone's screen: content the user would have to pan to. */
const horizontalOverflow = (page: Page, scope = 'main') =>
  page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    const past = [...document.querySelectorAll(`${selector} *`)]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1 || box.left < -1) && !element.closest('[data-testid="run-canvas"], .react-flow');
      })
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, past: past.slice(0, 8) };
  }, scope);
const fits = { scrollWidth: phone.viewport.width, width: phone.viewport.width, past: [] };

beforeAll(async () => {
  expect(lanAddress, 'this test needs a non-loopback IPv4 address on this machine').toBeDefined();
  server = startServe(temp.dataDir, ['--listen', '0.0.0.0']);
  const { port, stdout: out } = await server.ready;
  const printed = /^Certificate SHA-256 fingerprint \(pin this\): (\S+)$/m.exec(out)?.[1];
  const certificate = await presentedCertificate(lanAddress!, port);
  expect(certificate.fingerprint256).toBe(printed);
  spkiHash = createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  origin = `https://${lanAddress}:${port}`;
  key = (await photon(['keys', 'create', 'phone', '--scope', 'run', '--data-dir', temp.dataDir])).stdout.trim();
  expect(key).toMatch(/^photon_/);
}, 120_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    // A server whose step would not stop must not outlive the test.
    const killer = setTimeout(() => server?.child.kill('SIGKILL'), 20_000);
    await server.done;
    clearTimeout(killer);
  }
  temp.cleanup();
}, 60_000);

describe('a phone beyond loopback', () => {
  it('cannot open Photon without trusting its certificate', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ ...phone });
      await expect(page.goto(`${origin}/sign-in`)).rejects.toThrow(/ERR_CERT/);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('signs in with a run key, follows a run live at phone size, cancels it by touch, and its process is gone', async () => {
    const browser = await launch([`--ignore-certificate-errors-spki-list=${spkiHash}`]);
    try {
      const context = await browser.newContext({ ...phone });
      pageErrors.watchContext(context);
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { name: 'Sign in to Photon' }).waitFor(ui);
      await page.getByLabel('API key').fill(`${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`);
      await page.getByRole('button', { name: 'Sign in' }).tap();
      await page.getByRole('alert').filter({ hasText: 'an API key with a wrong secret' }).waitFor(ui);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).tap();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);

      // A script on the phone starts the runs through the REST API with the same key, over the pinned TLS.
      const start = (body: unknown) =>
        page.evaluate(
          async ({ apiKey, json }) => {
            const answer = await fetch('/api/v1/operations', { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: json });
            return { status: answer.status, text: await answer.text() };
          },
          { apiKey: key, json: JSON.stringify(body) },
        );
      const wrongKey = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const refused = await page.evaluate(async (apiKey) => {
        const answer = await fetch('/api/v1/operations', { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: '{}' });
        return { status: answer.status, text: await answer.text() };
      }, wrongKey);
      expect(refused.status, refused.text).toBe(401);
      const gate = await start({ name: 'Release gate', workflow: [{ step: 1, label: 'Ship it', platform: 'approval', inputs: { message: 'Ship release 2026.12 to production now?' } }] });
      expect(gate.status, gate.text).toBe(201);
      const started = await start({
        name: 'Phone watch',
        workflow: [
          { step: 1, label: 'Prepare', platform: 'shell', inputs: { command: 'echo prepared' } },
          { step: 2, label: 'Wait long', platform: 'shell', dependencies: [1], inputs: { command: 'while :; do echo "alive as $$"; sleep 1; done' } },
        ],
      });
      expect(started.status, started.text).toBe(201);

      // The run list (the sidebar, folded on a phone) leads to the run.
      await page.getByRole('button', { name: 'Show the sidebar' }).tap();
      const runList = page.getByRole('region', { name: 'Recent runs' });
      const runLink = runList.getByRole('link', { name: /Phone watch/ });
      await runLink.waitFor(ui);
      expect(await horizontalOverflow(page, 'nav')).toEqual(fits);
      await runLink.tap();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.getByRole('button', { name: 'Hide the sidebar' }).tap();
      const step = (n: number, title: string) => page.getByRole('region', { name: `Step ${n}: ${title}` });
      await step(1, 'Prepare').getByText('Succeeded', { exact: true }).waitFor(ui);
      await step(2, 'Wait long').getByText('Running', { exact: true }).waitFor(ui);
      await page.locator('.run-facts').getByText('Running', { exact: true }).waitFor(ui);
      // Live: the step's lines keep arriving while the phone watches.
      const log = page.getByRole('log', { name: 'Output of step 2' });
      const lines = async () => ((await log.textContent()) ?? '').match(/alive as \d+/g)?.length ?? 0;
      await expect.poll(lines, ui).toBeGreaterThan(0);
      const seen = await lines();
      await expect.poll(lines, ui).toBeGreaterThan(seen);
      const pid = Number(/alive as (\d+)/.exec((await log.textContent()) ?? '')?.[1]);
      expect(processAlive(pid)).toBe(true);

      expect(await horizontalOverflow(page)).toEqual(fits);
      const cancel = page.getByRole('button', { name: 'Cancel run' });
      const box = (await cancel.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(phone.viewport.width);

      await cancel.tap();
      await page.locator('.run-facts').getByText('Cancelled', { exact: true }).waitFor(ui);
      await step(2, 'Wait long').getByText('Cancelled', { exact: true }).waitFor(ui);
      await waitUntil(() => !processAlive(pid), 30_000, `the step's process ${pid} to end`);
      expect(await horizontalOverflow(page)).toEqual(fits);

      // The approvals inbox: the gate's question and its answers fit, and a tap answers it.
      await page.goto(`${origin}/#/approvals`);
      const card = page.getByRole('listitem', { name: 'Approval gate: Ship release 2026.12 to production now?' });
      await card.waitFor(ui);
      expect(await horizontalOverflow(page)).toEqual(fits);
      await card.getByRole('button', { name: 'Approve', exact: true }).tap();
      await page.locator('.approval-record li').filter({ hasText: 'Ship release 2026.12 to production now?' }).waitFor(ui);
      await card.waitFor({ state: 'detached', ...ui });
      expect(await horizontalOverflow(page)).toEqual(fits);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 180_000);
});
