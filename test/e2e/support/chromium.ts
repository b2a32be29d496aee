import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Download } from 'playwright-core';
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

let downloads: string | undefined;
let downloadCount = 0;

/**
 * A download's file, on this machine under the name the page gave it. The run's shared Chromium is
 * reached over its endpoint and keeps downloads in its own process, where `download.path()` is
 * refused: the file is saved into a folder of this process's, removed as it exits.
 */
export async function savedDownload(download: Download): Promise<string> {
  if (!downloads) {
    const folder = mkdtempSync(join(tmpdir(), 'photon-e2e-downloads-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    downloads = folder;
  }
  const folder = join(downloads, String(++downloadCount));
  mkdirSync(folder);
  const path = join(folder, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}
