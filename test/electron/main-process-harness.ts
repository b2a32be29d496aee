/**
 * The real main process (electron/main/index.ts) loaded in Node against the stand-in for Electron
 * and a real engine on a temporary data folder. The calling test file mocks `electron` with
 * `vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule)` first.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplyEnvelope } from '../../shared/api.js';
import { ipcChannels } from '../../shared/bridge.js';
import { electronNativeDirName } from '../../electron/main/native-binding.js';
import { fake, FakeBrowserWindow, FakeTray, type FakeWebContents } from './fake-electron.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const electronVersion = '45.4.1';

export interface MainProcess {
  /** The temporary folder holding the app, its profile and its data. */
  root: string;
  /** The first window the app opened. */
  window: FakeBrowserWindow;
  /** The address of the app's own page. */
  appUrl: string;
  /** What Electron hands the IPC handler when `contents` (by default the first window's page) calls. */
  pageEvent(contents?: FakeWebContents): { sender: FakeWebContents; senderFrame: { url: string; parent: null } };
  /** A request on the invoke channel, as the preload bridge sends it. */
  invoke(request: unknown, event?: unknown): Promise<ReplyEnvelope>;
  remove(): void;
}

type InvokeHandler = (event: unknown, request: unknown) => Promise<ReplyEnvelope>;

export async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function loadMainProcess(): Promise<MainProcess> {
  const root = mkdtempSync(join(tmpdir(), 'photon-main-'));
  // The app's better-sqlite3 build, where the main process looks for it: Node's build stands in,
  // since this "Electron" is Node.
  const appPath = join(root, 'app');
  const nativeDir = join(appPath, '.native', electronNativeDirName({ electronVersion, platform: process.platform, arch: process.arch }));
  mkdirSync(nativeDir, { recursive: true });
  copyFileSync(join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(nativeDir, 'better_sqlite3.node'));
  Object.defineProperty(process.versions, 'electron', { value: electronVersion, configurable: true, enumerable: true });
  fake.app.appPath = appPath;
  fake.app.paths.set('userData', join(root, 'userData'));
  process.env.PHOTON_DATA_DIR = join(root, 'data');

  await import('../../electron/main/index.js');
  const window = await until(() => FakeBrowserWindow.all[0], 'the window');
  await until(() => FakeTray.all[0] && fake.ipcHandlers.has(ipcChannels.invoke), 'the tray and the IPC handler');
  const appUrl = window.webContents.loaded[0]!;
  const pageEvent = (contents = window.webContents) => ({ sender: contents, senderFrame: { url: `${appUrl}#/workflows`, parent: null } });
  return {
    root,
    window,
    appUrl,
    pageEvent,
    invoke: (request, event = pageEvent()) => (fake.ipcHandlers.get(ipcChannels.invoke) as InvokeHandler)(event, request),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
