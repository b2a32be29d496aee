import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, as the end-to-end tests run it (no browser download here). */
export const chromiumPath = process.env.PHOTON_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
