/**
 * The main process's glue, run in Node against a stand-in for the `electron` module (the binary
 * cannot be downloaded here) and a real engine on a temporary data folder: the window's settings,
 * the IPC sender check, navigation and window-open locks, the CSP header, permissions, the tray
 * menu (pins, live counts, stop all, the dashboard), notifications when a run ends (naming a failed
 * step), and the engine closed before the app exits.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../shared/bridge.js';
import { fake, FakeBrowserWindow, FakeNotification, FakeTray, FakeWebContents, type FakeMenuItem } from './fake-electron.js';
import { loadMainProcess, until, type MainProcess } from './main-process-harness.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let main: MainProcess;
let root = '';
let window: FakeBrowserWindow;
let appUrl = '';

const invoke = (request: unknown, event?: unknown) => main.invoke(request, event);

const trayItems = () => (FakeTray.all[0]?.menu?.items ?? []) as FakeMenuItem[];
const startItems = () => trayItems().find((item) => item.id === 'start')?.submenu ?? [];

beforeAll(async () => {
  main = await loadMainProcess();
  ({ root, window, appUrl } = main);
});

afterAll(() => {
  main?.remove();
});

describe('the Electron main process (glue)', () => {
  it('starts as a single instance, sandboxed, with PHOTON_DATA_DIR as its whole profile', () => {
    expect(fake.app.calls).toEqual(expect.arrayContaining(['enableSandbox', 'requestSingleInstanceLock', 'setAppUserModelId:dev.photon.desktop', 'setPath:userData']));
    expect(fake.app.getPath('userData')).toBe(join(root, 'data'));
    expect(fake.errorBoxes).toEqual([]);
  });

  it('opens one locked-down window on the built renderer', () => {
    expect(FakeBrowserWindow.all).toHaveLength(1);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    // From the app's own scheme, registered with its privileges before the app was ready; never file://.
    expect(appUrl).toBe('app://photon/index.html');
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.protocol.registeredAfterReady).toBe(false);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('answers IPC from its own page through the engine', async () => {
    const reply = await invoke({ id: 1, method: 'system.info' });
    expect(reply).toMatchObject({ id: 1, ok: true, value: { host: 'electron', dataDir: join(root, 'data') } });
  });

  it('refuses IPC from any other sender', async () => {
    const unauthorized = { ok: false, error: { code: 'unauthorized' } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(invoke({ id: 2, method: 'system.info' }, { sender: new FakeWebContents(), senderFrame: { url: appUrl, parent: null } })).resolves.toMatchObject(unauthorized);
    await expect(invoke({ id: 3, method: 'system.info' }, { sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } })).resolves.toMatchObject(unauthorized);
    await expect(invoke({ id: 4, method: 'system.info' }, { sender: window.webContents, senderFrame: { url: appUrl, parent: {} } })).resolves.toMatchObject(unauthorized);
    await expect(invoke({ id: 5, method: 'system.info' }, { sender: window.webContents, senderFrame: null })).resolves.toMatchObject(unauthorized);
    warn.mockRestore();
  });

  it('checks the method name before the engine sees it, and reports bad params', async () => {
    await expect(invoke({ id: 6, method: 'process.exit' })).resolves.toMatchObject({ id: 6, ok: false, error: { code: 'not_found' } });
    await expect(invoke({ id: 7, method: 'runs.get', params: { runId: 42 } })).resolves.toMatchObject({ id: 7, ok: false, error: { code: 'invalid' } });
  });

  it('keeps the window on the app and sends http(s) links to the browser', () => {
    const navigate = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      window.webContents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${appUrl}#/runs/x`)).toBe(false);

    const webview = { preventDefault: vi.fn() };
    window.webContents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    const open = window.webContents.windowOpenHandler!;
    expect(open({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.openedExternally).toEqual(['https://github.com/']);
  });

  it("serves the app's scheme with the CSP on every answer and nothing from outside the renderer", async () => {
    const serve = fake.protocol.handlers.get('app')!;
    for (const url of ['app://photon/%2e%2e/%2e%2e/package.json', 'app://photon/..%2f..%2fpackage.json', 'app://photon/index.html']) {
      const response = await serve(new Request(url));
      expect(response.headers.get('content-security-policy'), url).toMatch(/^default-src 'none'; script-src 'self';/);
      if (url.includes('package')) expect(await response.text()).not.toContain('"name"');
    }
  });

  it("sets the CSP header on the app's own page only", () => {
    const respond = (details: Record<string, unknown>) => {
      let result: unknown;
      (fake.session.headersListener as unknown as (d: unknown, cb: (r: unknown) => void) => void)(details, (r) => (result = r));
      return result as { responseHeaders?: Record<string, string[]> };
    };
    const page = respond({ resourceType: 'mainFrame', url: appUrl, responseHeaders: {} });
    expect(page.responseHeaders?.['Content-Security-Policy']?.[0]).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(respond({ resourceType: 'mainFrame', url: 'https://example.com/', responseHeaders: {} })).toEqual({});
    expect(respond({ resourceType: 'script', url: appUrl, responseHeaders: {} })).toEqual({});
  });

  it('denies permissions by default', () => {
    const request = fake.session.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void;
    const check = fake.session.permissionCheckHandler as unknown as (c: unknown, p: string, o: string, d: unknown) => boolean;
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) request(window.webContents, permission, (ok) => answers.push(ok), { requestingUrl: appUrl, isMainFrame: true });
    request(window.webContents, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: 'https://evil.example/', isMainFrame: true });
    expect(answers).toEqual([false, false, false, false, false]);
    expect(check(window.webContents, 'media', 'file://', { requestingUrl: appUrl, isMainFrame: true })).toBe(false);
    expect((fake.session.devicePermissionHandler as unknown as () => boolean)()).toBe(false);
  });

  it('has the usual application menu', () => {
    const labels = (fake.applicationMenu?.items ?? []).map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']));
    const file = fake.applicationMenu!.items.find((item) => item.label === 'File')!;
    file.submenu!.find((item) => item.label === 'Open Data Folder')!.click!();
    expect(fake.openedPaths).toEqual([join(root, 'data')]);
  });

  it('shows the tray menu, lists a saved workflow, starts it, and notifies when the run ends', async () => {
    const tray = FakeTray.all[0]!;
    expect(tray.image.path).toMatch(/resources[/\\]tray[/\\]tray(-linux|Template)?\.png$/);
    await until(() => trayItems().some((item) => item.label === 'No runs running'), 'the first tray menu');
    expect(trayItems().find((item) => item.id === 'waiting')?.label).toBe('No agents waiting');
    expect(tray.tooltip).toBe('Photon');

    const saved = await invoke({ id: 10, method: 'workflows.save', params: { workflow: { name: 'Tray & check', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo tray-run' } }] } } });
    expect(saved.ok).toBe(true);
    const start = await until(() => startItems().find((item) => item.label?.startsWith('Tray')), 'the workflow in the tray menu');
    start.click!();

    const notification = await until(() => FakeNotification.all.find((n) => n.shown), 'the notification');
    expect(notification.options.title).toBe('Tray & check succeeded');
    expect(notification.options.body).toMatch(/^All 1 step succeeded/);
    const runs = await invoke({ id: 11, method: 'runs.list' });
    const runId = (runs as { value: { runId: string }[] }).value[0]!.runId;

    // Every engine event reached the page, on the event channel, as a bare envelope.
    const events = window.webContents.sent.filter((m) => m.channel === ipcChannels.event).map((m) => m.message as { event: string; payload: { runId?: string; status?: string } });
    expect(events.some((e) => e.event === 'run.updated' && e.payload.runId === runId && e.payload.status === 'succeeded')).toBe(true);
    expect(Object.keys(events[0]!).sort()).toEqual(['event', 'payload']);

    notification.emit('click');
    expect(window.webContents.loaded.at(-1)).toBe(`${appUrl}#/runs/${encodeURIComponent(runId)}`);
    await until(() => trayItems().find((item) => item.id === 'running')?.label === 'No runs running', 'the tray count back to zero');
  });

  it('offers pinned workflows first, follows a running run live, stops all, and opens the dashboard', async () => {
    const save = async (id: number, name: string, command: string) => {
      const reply = await invoke({ id, method: 'workflows.save', params: { workflow: { name, workflow: [{ step: 1, label: 'Wait', platform: 'shell', inputs: { command } }] } } });
      return (reply as { value: { id: string } }).value.id;
    };
    const sleeper = await save(20, 'Sleeper', 'sleep 60');
    await save(21, 'Newest', 'true');
    await until(() => startItems()[1]?.label === 'Newest', 'the newest workflow first');

    expect((await invoke({ id: 22, method: 'workflows.pin', params: { id: sleeper, pinned: true } })).ok).toBe(true);
    await until(() => startItems()[0]?.label === 'Pinned' && startItems()[1]?.label === 'Sleeper', 'the pinned workflow first');

    startItems()[1]!.click!();
    await until(() => trayItems().find((item) => item.id === 'running')?.label === '1 run running', 'the running count');
    expect(FakeTray.all[0]!.tooltip).toBe('Photon: 1 run running');
    const stopAll = trayItems().find((item) => item.label === 'Stop All Runs')!;
    expect(stopAll.enabled).toBe(true);
    stopAll.click!();
    const cancelled = await until(() => FakeNotification.all.find((n) => n.shown && n.options.title === 'Sleeper was cancelled'), 'the cancellation notification');
    expect(cancelled.options.body).toBe('0 of 1 step succeeded, 1 cancelled.');
    await until(() => trayItems().find((item) => item.id === 'running')?.label === 'No runs running', 'the count back to zero');
    expect(trayItems().find((item) => item.label === 'Stop All Runs')!.enabled).toBe(false);

    trayItems().find((item) => item.label === 'Open Dashboard')!.click!();
    expect(window.webContents.loaded.at(-1)).toBe(`${appUrl}#/dashboard`);
  });

  it('names the failing step when a run fails', async () => {
    const reply = await invoke({
      id: 30,
      method: 'workflows.save',
      params: {
        workflow: {
          name: 'Flaky build',
          workflow: [
            { step: 1, label: 'Fetch', platform: 'shell', inputs: { command: 'true' } },
            { step: 2, label: 'Compile', platform: 'shell', dependencies: [1], inputs: { command: 'exit 3' } },
            { step: 3, label: 'Ship', platform: 'shell', dependencies: [2], inputs: { command: 'true' } },
          ],
        },
      },
    });
    const workflowId = (reply as { value: { id: string } }).value.id;
    await invoke({ id: 31, method: 'runs.start', params: { workflowId } });
    const failed = await until(() => FakeNotification.all.find((n) => n.shown && n.options.title === 'Flaky build failed'), 'the failure notification');
    expect(failed.options.body).toMatch(/^Step 2 “Compile” failed \(exit code 3\) after \d+ s\. 1 step skipped\.$/);
  });

  it('counts a step waiting for input in the tray and tells the user, until it is answered', async () => {
    const reply = await invoke({
      id: 40,
      method: 'workflows.save',
      params: { workflow: { name: 'Ask first', workflow: [{ step: 1, label: 'Which host', platform: 'shell', inputs: { command: "printf 'host? '; read host; echo \"to $host\"" } }] } },
    });
    const workflowId = (reply as { value: { id: string } }).value.id;
    const started = await invoke({ id: 41, method: 'runs.start', params: { workflowId } });
    const runId = (started as { value: { runId: string } }).value.runId;

    const waiting = await until(() => FakeNotification.all.find((n) => n.shown && n.options.title === 'Ask first is waiting for input'), 'the waiting notification', 20_000);
    expect(waiting.options.body).toBe('Step 1 “Which host” is waiting for your answer in its terminal.');
    await until(() => trayItems().find((item) => item.id === 'waiting')?.label === '1 agent waiting for input', 'the waiting count');
    expect(FakeTray.all[0]!.tooltip).toBe('Photon: 1 run running, 1 agent waiting for input');

    const terminal = await invoke({ id: 42, method: 'terminals.forStep', params: { runId, step: 1 } });
    await invoke({ id: 43, method: 'terminals.write', params: { id: (terminal as { value: { id: string } }).value.id, data: 'prod\r' } });
    await until(() => FakeNotification.all.some((n) => n.shown && n.options.title === 'Ask first succeeded'), 'the run to end');
    await until(() => trayItems().find((item) => item.id === 'waiting')?.label === 'No agents waiting', 'the waiting count back to zero');

    waiting.emit('click');
    expect(window.webContents.loaded.at(-1)).toBe(`${appUrl}#/runs/${encodeURIComponent(runId)}`);
  });

  it('focuses the window when a second instance starts', async () => {
    window.visible = false;
    fake.app.emit('second-instance');
    await until(() => window.visible, 'the window shown');
    expect(FakeBrowserWindow.all).toHaveLength(1);
  });

  it('closes the engine before it quits', async () => {
    const quitsBefore = fake.app.quitCount;
    const event = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await until(() => fake.app.quitCount > quitsBefore, 'the quit after the engine closed');
    expect(fake.removedIpcHandlers).toContain(ipcChannels.invoke);
    expect(FakeTray.all[0]!.destroyed).toBe(true);
    // The second before-quit (from that quit) goes through.
    const again = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
