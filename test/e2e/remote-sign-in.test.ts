// Another machine's browser (a phone's viewport and touch) signs in with an API key where Photon
// listens beyond loopback over HTTPS: the key goes through the sign-in form once and then lives in
// an HttpOnly, Secure cookie that the app's WebSocket carries. The server listens on this
// machine's own network address (or all of them, reached through 127.0.0.1): nothing leaves it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/index.js';
import { loadOrMakeIdentity } from '../../electron/server/auth/tls-identity.js';
import { startWebServer, type WebServer } from '../../electron/server/web/index.js';
import { lanAddress } from '../fixtures/network.js';
import { connectChromium } from './support/chromium.js';
import { failOnPageErrors } from './support/page-errors.js';
import { makeDataDir, repoRoot } from './support/photon-server.js';
import { ui } from './support/ui-harness.js';

let dataDir = '';
let engine: Engine;
let server: WebServer;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  dataDir = makeDataDir();
  engine = await createEngine({ dataDir, host: 'server', killGraceMs: 150 });
  const tls = await loadOrMakeIdentity(dataDir, lanAddress ? [lanAddress] : []);
  server = await startWebServer({ engine, port: 0, dataDir, staticDir: join(repoRoot, 'out', 'renderer'), host: lanAddress ?? '0.0.0.0', tls });
  browser = await connectChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('signing in with an API key beyond loopback', () => {
  it('asks for a key, keeps it in an HttpOnly Secure cookie, opens the app with it, and signs out a revoked key', async () => {
    const { secret } = await engine.call('keys.create', { name: 'phone', scope: 'run' });
    // A self-signed certificate: the browser is told to accept it, as a user does after comparing its fingerprint.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    pageErrors.watchContext(context);
    try {
      const page = await context.newPage();
      const origin = `https://${lanAddress ?? '127.0.0.1'}:${server.port}`;
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { name: 'Sign in to Photon' }).waitFor(ui);
      expect(new URL(page.url()).pathname).toBe('/sign-in');

      await page.getByLabel('API key').fill(`photon_00000000_${'A'.repeat(43)}`);
      await page.getByRole('button', { name: 'Sign in' }).tap();
      await page.getByRole('alert').filter({ hasText: 'an unknown API key' }).waitFor(ui);

      await page.getByLabel('API key').fill(secret);
      await page.getByRole('button', { name: 'Sign in' }).tap();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      expect(new URL(page.url()).pathname).toBe('/');

      const [cookie] = (await context.cookies()).filter((c) => c.name === `photon_key_${server.port}`);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', value: secret });
      expect(await page.evaluate(() => document.cookie)).not.toContain('photon_');
      // The app's calls went over its WebSocket as the key, held to its scope.
      const used = await engine.call('audit.list', { kinds: ['key.used'] });
      expect(used.filter((e) => e.keyName === 'phone').length).toBeGreaterThan(0);

      await engine.call('keys.revoke', { key: 'phone' });
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in to Photon' }).waitFor(ui);
      expect((await context.cookies()).filter((c) => c.name === `photon_key_${server.port}`)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
