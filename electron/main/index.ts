/**
 * The Electron host: windows, tray, menus, notifications and the IPC bridge around one engine.
 * Every decision lives in a plain function beside this file (tested without Electron); this file
 * only wires those decisions to Electron's APIs.
 */
import { app, dialog, Menu, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalsRoute, createNotificationFeed } from '../../shared/notifications.js';
import { createEngine } from '../engine/index.js';
// A `photon daemon` on the same data folder, when one runs, whose engine the app then uses; and the
// wire of remote access (the engine decides when it listens: Settings, Remote access).
import { connectToDaemon, DaemonEngine, remoteListener, type HostedEngine } from '../server/desktop.js';
import { appMenuTemplate, type MenuAction } from './app-menu.js';
import { appScheme, appSchemePrivileges, serveAppRequest } from './app-protocol.js';
import { appLocation } from './app-url.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { dataDirFor } from './data-dir.js';
import { trayIconPath, windowIconPath } from './icons.js';
import { startIpcBridge } from './ipc-bridge.js';
import { appId, quitWhenAllWindowsClosed } from './lifecycle-policy.js';
import { lockDownWebContents, MainWindow } from './main-window.js';
import { buildAppMenu } from './menu.js';
import { sqliteBindingPath } from './native-binding.js';
import { NativeNotifier } from './run-notifications.js';
import { secureSession } from './session-security.js';
import { dashboardRoute, trayAffectingMethods, type TrayAction } from './tray-menu.js';
import { PhotonTray } from './tray.js';
import { keepYoungGenerationSmall } from '../engine/young-generation.js';

// Before the app's start allocates (electron/engine/young-generation.ts; createEngine would be late).
keepYoungGenerationSmall({ holdUntilLoaded: true });

const here = dirname(fileURLToPath(import.meta.url));
/** Set once the app quits: a daemon connection closing then is no reason to relaunch. */
let quitting = false;
const preloadPath = join(here, '..', 'preload', 'index.cjs');
const rendererDir = join(here, '..', 'renderer');
const resourcesDir = join(app.getAppPath(), 'resources');

// Before anything touches the profile: a PHOTON_DATA_DIR is a whole separate app, Chromium's data included.
const { dataDir, overridden } = dataDirFor(process.env, app.getPath('userData'));
if (overridden) app.setPath('userData', dataDir);
app.setAppUserModelId(appId);
app.enableSandbox();
// The window's page comes from app://photon/, not file:// (see app-protocol.ts); a scheme gets its
// privileges only if they are registered before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: appSchemePrivileges }]);

if (!app.requestSingleInstanceLock()) {
  // Another Photon owns this data folder; it shows its window on our behalf (second-instance).
  app.quit();
} else {
  void start().catch((error: unknown) => fail('Photon could not start', error));
}

async function start(): Promise<void> {
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const location = appLocation({ devServerUrl, isPackaged: app.isPackaged });
  const window = new MainWindow({
    appUrl: location.url,
    preloadPath,
    icon: process.platform === 'darwin' ? undefined : windowIconPath(resourcesDir),
    devTools: !app.isPackaged,
  });

  app.on('second-instance', () => void app.whenReady().then(() => window.show()));
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, location.url));

  await app.whenReady();
  const policy = contentSecurityPolicy(location.devServer ? location.url : undefined);
  protocol.handle(appScheme, (request) => serveAppRequest(request, rendererDir, policy));
  secureSession(session.defaultSession, location.url, location.devServer ? location.url : undefined);

  const engine = await openEngine();
  const notifier = new NativeNotifier((route) => window.show(route));
  const notify = (title: string, body: string) => notifier.show({ title, body });

  let tray: PhotonTray | undefined;
  const feed = createNotificationFeed({
    since: Date.now(),
    getRun: (runId) => engine.call('runs.get', { runId }),
    show: (note) => notifier.show(note),
    onCountsChanged: () => tray?.refresh(),
  });
  feed.seed(await engine.call('runs.list', { limit: 1000 }));
  engine.on('run.updated', (run) => feed.runUpdated(run));
  engine.on('step.updated', ({ runId, step }) => feed.stepUpdated(runId, step));
  engine.on('step.waiting', (event) => feed.stepWaiting(event));
  engine.on('approval.updated', (item) => feed.approvalUpdated(item));
  // Requests already waiting count in the tray from the start; they are not news to notify.
  feed.seedApprovals(await engine.call('approvals.list', { waitingOnly: true }));

  const runTrayAction = (action: TrayAction) => {
    switch (action.kind) {
      case 'startWorkflow':
        engine.call('runs.start', { workflowId: action.workflowId }).catch((error: unknown) => notify('Photon could not start the workflow', message(error)));
        return;
      case 'cancelAll':
        engine.call('runs.cancelAll', undefined).catch((error: unknown) => notify('Photon could not stop the runs', message(error)));
        return;
      case 'openDashboard':
        window.show(dashboardRoute);
        return;
      case 'openApprovals':
        window.show(approvalsRoute);
        return;
      case 'showWindow':
        window.show();
        return;
      case 'quit':
        app.quit();
        return;
    }
  };
  const runMenuAction = (action: MenuAction) => {
    if (action.kind === 'showWindow') window.show();
    else void shell.openPath(dataDir);
  };

  Menu.setApplicationMenu(buildAppMenu(appMenuTemplate(process.platform, { isDev: !app.isPackaged }), runMenuAction));
  const stopBridge = startIpcBridge({
    engine,
    window,
    appUrl: location.url,
    afterCall: (method) => {
      if (trayAffectingMethods.has(method)) tray?.refresh();
    },
  });

  try {
    tray = new PhotonTray(trayIconPath(resourcesDir, process.platform), engine, () => ({ runningCount: feed.runningCount, waitingCount: feed.waitingCount, approvalsCount: feed.approvalsCount }), runTrayAction);
  } catch (error) {
    // Some Linux desktops have no status area; the app works without it.
    console.warn('photon: no tray icon:', message(error));
  }

  window.show();
  app.on('activate', () => window.show());
  app.on('window-all-closed', () => {
    if (quitWhenAllWindowsClosed({ platform: process.platform, hasTray: tray !== undefined, runningCount: feed.runningCount })) app.quit();
  });

  // Quitting waits for the engine: active runs are left `interrupted` (resumable) and every process is killed.
  let closing: Promise<void> | undefined;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing === undefined) {
      event.preventDefault();
      closing = (async () => {
        stopBridge();
        tray?.destroy();
        try {
          await engine.close();
        } catch (error) {
          console.error('photon: closing the engine failed:', error);
        }
      })().finally(() => app.quit());
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

/**
 * The daemon's engine when a `photon daemon` runs on this data folder (its schedules keep firing
 * there and its runs show here live), else one of the app's own, which fires them itself.
 */
async function openEngine(): Promise<HostedEngine> {
  const daemon = await connectToDaemon(dataDir);
  if (daemon) {
    // Gone while the app runs: start again, on the daemon that replaced it or on an engine of our own.
    daemon.onClose(() => {
      if (quitting) return;
      app.relaunch();
      app.exit(0);
    });
    return new DaemonEngine(daemon);
  }
  const sqliteNativeBinding = sqliteBindingPath({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
  });
  if (!existsSync(sqliteNativeBinding)) {
    throw new Error(
      app.isPackaged
        ? `this package lacks its SQLite module (${sqliteNativeBinding}); reinstall Photon`
        : `SQLite has not been built for Electron ${process.versions.electron} yet (${sqliteNativeBinding}).\nStart the app with \`npm start\`, which builds it, or run \`node scripts/ensure-native.js\`.`,
    );
  }
  return createEngine({ dataDir, host: 'electron', sqliteNativeBinding, remoteListener: remoteListener(rendererDir) });
}

function fail(title: string, error: unknown): void {
  console.error(`photon: ${title}:`, error);
  dialog.showErrorBox(title, message(error));
  app.exit(1);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
