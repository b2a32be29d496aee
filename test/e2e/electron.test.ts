// The desktop app end to end: the built app launched in Electron through Playwright, with a
// temporary data folder. It runs where Electron's binary is installed; where the binary's download
// was blocked (node_modules/electron has no path.txt), the suite is skipped and says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotonBridge } from '../../shared/bridge.js';
import { ensureElectronSqlite } from '../../scripts/ensure-native.js';
import { electronExecutable } from '../../scripts/start-electron.js';
import { failOnPageErrors } from './support/page-errors.js';
import { repoRoot } from './support/photon-server.js';
import { threeStepWorkflow, writeWorkflowFile } from './support/workflows.js';

const executable = electronExecutable(repoRoot);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !executable
  ? 'the Electron binary is not installed (node_modules/electron has no path.txt: its download was blocked); `npm run web` covers the same UI in Chromium'
  : noDisplay
    ? 'there is no display for Electron (run the tests under xvfb-run)'
    : undefined;
if (skipReason) console.warn(`Electron end-to-end tests skipped: ${skipReason}`);

const ui = { timeout: 15_000 };
const pageErrors = failOnPageErrors();

describe.skipIf(skipReason !== undefined)(`Photon desktop app (Electron)${skipReason ? `: skipped, ${skipReason}` : ''}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'photon-electron-e2e-'));
    ensureElectronSqlite({ root: repoRoot });
    // Main and preload into out/ (global setup keeps out/renderer current; rebuilding it here would
    // pull it from under the browser tests running beside this file).
    const { build } = await import('electron-vite');
    await build({ root: repoRoot, configFile: join(repoRoot, 'test', 'electron', 'fixtures', 'main-and-preload.config.ts'), logLevel: 'warn' });

    const env = { ...process.env, PHOTON_DATA_DIR: join(dataDir, 'data') } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    // Chromium refuses to run as root with its OS sandbox (CI containers); the page stays sandboxed by Electron.
    const args = [repoRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    app = await _electron.launch({ executablePath: executable!, args, cwd: repoRoot, env });
    page = await app.firstWindow();
    pageErrors.watchPage(page);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the app with its sidebar, connected through the preload bridge', async () => {
    await page.getByRole('navigation', { name: 'Workflows and runs' }).waitFor(ui);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
    expect(await page.title()).toBe('Photon');
    expect(app.windows()).toHaveLength(1);
  });

  it('gives the page only invoke and on, and no Node', async () => {
    const shape = await page.evaluate(() => {
      const scope = window as unknown as Record<string, unknown>;
      return { bridge: Object.keys(scope.photon as object).sort(), require: typeof scope.require, process: typeof scope.process, module: typeof scope.module };
    });
    expect(shape).toEqual({ bridge: ['invoke', 'on'], require: 'undefined', process: 'undefined', module: 'undefined' });
    const info = await page.evaluate(() => (window as unknown as { photon: PhotonBridge }).photon.invoke({ id: 1, method: 'system.info' }));
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', dataDir: join(dataDir, 'data') } });
    const refused = await page.evaluate(() => (window as unknown as { photon: PhotonBridge }).photon.invoke({ id: 2, method: 'no.such' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps its profile in PHOTON_DATA_DIR', async () => {
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(join(dataDir, 'data'));
  });

  it('blocks inline scripts (CSP), new windows and navigation away', async () => {
    const inlineRan = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    expect(await page.evaluate(() => window.open('file:///etc/passwd') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'file:///etc/hosts';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('imports a workflow file and runs it to success', async () => {
    const file = writeWorkflowFile(dataDir, 'build.json', threeStepWorkflow);
    await page.getByLabel('Import a workflow file').setInputFiles(file);
    await page.getByRole('heading', { level: 1, name: threeStepWorkflow.name }).waitFor(ui);
    await page.getByRole('button', { name: 'Run workflow' }).click();
    await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
    await page.getByText('3 of 3 steps succeeded').waitFor(ui);
    await page.getByText('0 running').waitFor(ui);
  }, 60_000);
});
