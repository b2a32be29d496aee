import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Chromium (shared-chromium-setup.ts); empty when it was not started. */
    chromiumEndpoint: string;
  }
}

/** Debian's Chromium, as the end-to-end tests run it (no browser download here). */
export const chromiumPath = process.env.PHOTON_CHROMIUM ?? '/usr/bin/chromium';

const launchOptions = {
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** A Chromium of the caller's own, for a test that uses what all of a browser's profiles share (the clipboard). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(launchOptions);
}

/** The Chromium every test file can connect to, started once for the run. */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptions);
}

/**
 * The run's shared Chromium, or one of the caller's own where there is none. Each file works in
 * profiles (contexts) of its own, which the server closes when the file's connection closes.
 */
export async function connectChromium(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  if (!endpoint) return launchChromium();
  // Gone (crashed with an earlier file): that file failed already; this one still gets a browser.
  return chromium.connect(endpoint).catch(() => launchChromium());
}
