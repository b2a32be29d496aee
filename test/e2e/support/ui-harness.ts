// The setup every UI test file shares: one `photon serve` on a temporary data folder, one
// Chromium, and a way to open the app in a fresh browser profile the way a user would.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { connectChromium, launchChromium } from './chromium.js';
import { failOnPageErrors } from './page-errors.js';
import { makeDataDir, removeDataDir, startPhotonServer, type PhotonServer, type ServerOptions } from './photon-server.js';

export const ui = { timeout: 15_000 };

export interface UiHarness {
  readonly server: PhotonServer;
  readonly browser: Browser;
  readonly dataDir: string;
  /** A folder for files the test hands to the UI (imports, exports). */
  readonly filesDir: string;
  /** Stops the server, does `meanwhile`, then starts it again on the same port and data. */
  restartServer(meanwhile: () => Promise<void>): Promise<void>;
  /** A fresh browser profile whose uncaught page errors fail the running test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A fresh browser profile on the address with the token, once the app says it is connected. */
  openApp(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
}

export interface BrowserOptions {
  /** A Chromium of the file's own instead of the run's shared one: for what all profiles share (the clipboard). */
  ownBrowser?: boolean;
}

/** Registers the server and browser for the calling test file and returns access to them. */
export function useUiHarness(serverOptions: ServerOptions = {}, browserOptions: BrowserOptions = {}): UiHarness {
  let server: PhotonServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let filesDir: string | undefined;
  const pageErrors = failOnPageErrors();

  beforeAll(async () => {
    dataDir = makeDataDir();
    filesDir = makeDataDir();
    // Both at once; each is kept as soon as it is there, so afterAll stops it whichever failed.
    const started = await Promise.allSettled([
      startPhotonServer(dataDir, 0, serverOptions).then((value) => (server = value)),
      (browserOptions.ownBrowser ? launchChromium() : connectChromium()).then((value) => (browser = value)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
  });

  afterAll(async () => {
    // From the shared Chromium, this closes the file's connection and with it the profiles it made.
    await browser?.close();
    await server?.stop();
    if (dataDir) removeDataDir(dataDir);
    if (filesDir) removeDataDir(filesDir);
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the UI harness has no ${what} yet: use it inside a test`);
    return value;
  };

  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await ready(browser, 'browser').newContext(options);
    pageErrors.watchContext(context);
    return context;
  };

  return {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get dataDir() {
      return ready(dataDir, 'data folder');
    },
    get filesDir() {
      return ready(filesDir, 'files folder');
    },
    async restartServer(meanwhile) {
      const port = ready(server, 'server').port;
      await ready(server, 'server').stop();
      await meanwhile();
      server = await startPhotonServer(ready(dataDir, 'data folder'), port, serverOptions);
    },
    newContext,
    async openApp(options = { viewport: { width: 1280, height: 800 } }) {
      const context = await newContext(options);
      const page = await context.newPage();
      await page.goto(ready(server, 'server').url);
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      return { context, page };
    },
  };
}
