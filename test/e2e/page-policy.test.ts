/**
 * The CSP travels with the page itself: renderer/index.html carries it as a meta tag (equal to the
 * one the Electron host defines), so the page is fenced wherever it is loaded without the header.
 * Checked in Chromium on the built page served with no headers at all: an injected inline script
 * does not run, while the app's own script does. The Vite dev server drops the tag (its refresh
 * preamble is inline), and the browser host, which sends its own header too, still works
 * (web-ui.test.ts drives it).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaContentSecurityPolicy, metaPolicyOf, withoutMetaPolicy } from '../../electron/main/content-security-policy.js';
import { connectChromium } from './support/chromium.js';
import { repoRoot } from './support/photon-server.js';

const sourcePage = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');
const builtDir = join(repoRoot, 'out', 'renderer');

describe("index.html's policy", () => {
  it('is the policy the host defines, set before anything the page loads', () => {
    expect(metaPolicyOf(sourcePage)).toBe(metaContentSecurityPolicy());
    const head = sourcePage.slice(0, sourcePage.indexOf('</head>'));
    expect(head.indexOf('Content-Security-Policy')).toBeLessThan(head.search(/<(script|link|style)\b/));
    expect(metaContentSecurityPolicy()).toMatch(/script-src 'self';/);
    expect(metaContentSecurityPolicy()).not.toContain('frame-ancestors');
  });

  it('stays in the built page', () => {
    expect(metaPolicyOf(readFileSync(join(builtDir, 'index.html'), 'utf8'))).toBe(metaContentSecurityPolicy());
  });

  it("is left out by the Vite dev server, whose page needs an inline script (React's refresh preamble)", async () => {
    const { createServer } = await import('vite');
    const { default: config } = await import('../../electron.vite.config.js');
    const renderer = (config as { renderer: Record<string, unknown> }).renderer;
    const server = await createServer({ ...renderer, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
    try {
      await server.listen();
      const page = await (await fetch(server.resolvedUrls!.local[0]!)).text();
      expect(page).toContain('/@react-refresh');
      expect(metaPolicyOf(page)).toBeUndefined();
      expect(withoutMetaPolicy(sourcePage)).not.toContain('Content-Security-Policy"');
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('the built page served with no CSP header, in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      try {
        const body = readFileSync(join(builtDir, path === '/' ? 'index.html' : path.slice(1)));
        response.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'text/html' });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await connectChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("blocks an injected inline script while the app's own script runs", async () => {
    const page = await browser.newPage();
    try {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(base);
      // The app's bundle ran: React rendered into #root (it has no server to talk to, but it drew).
      await expect.poll(() => page.evaluate(() => document.getElementById('root')?.childElementCount ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
      const ran = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true;';
        document.body.append(script);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => violations.length).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
