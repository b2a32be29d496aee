/**
 * A stand-in for the `electron` module, for running the main process's glue in Node where the
 * Electron binary cannot be downloaded. It records what the glue asks of Electron and lets a test
 * play Electron's part: fire app and web-contents events, call IPC handlers, click menu items.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;

export class FakeWebContents extends EventEmitter {
  private static count = 0;
  readonly id = ++FakeWebContents.count;
  readonly sent: { channel: string; message: unknown }[] = [];
  readonly loaded: string[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;

  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isCrashed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export interface FakeMenuItem {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(items: FakeMenuItem[]): FakeMenu {
    return new FakeMenu(items);
  }
  static setApplicationMenu(menu: FakeMenu): void {
    fake.applicationMenu = menu;
  }
}

export class FakeTray extends EventEmitter {
  static readonly all: FakeTray[] = [];
  menu: FakeMenu | undefined;
  tooltip = '';
  destroyed = false;

  constructor(readonly image: { path: string }) {
    super();
    FakeTray.all.push(this);
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static readonly all: FakeNotification[] = [];
  shown = false;

  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.all.push(this);
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    this.shown = true;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  appPath = '/nonexistent';
  readonly paths = new Map<string, string>([['userData', '/nonexistent/userData']]);
  readonly calls: string[] = [];
  quitCount = 0;
  exitCode: number | undefined;

  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? `/nonexistent/${name}`;
  }
  setPath(name: string, value: string): void {
    this.calls.push(`setPath:${name}`);
    this.paths.set(name, value);
  }
  setAppUserModelId(id: string): void {
    this.calls.push(`setAppUserModelId:${id}`);
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return true;
  }
  readyAsked = false;
  whenReady(): Promise<void> {
    this.readyAsked = true;
    return Promise.resolve();
  }
  quit(): void {
    this.quitCount++;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const fake = {
  app: new FakeApp(),
  applicationMenu: undefined as FakeMenu | undefined,
  ipcHandlers: new Map<string, Handler>(),
  removedIpcHandlers: [] as string[],
  openedExternally: [] as string[],
  openedPaths: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  protocol: {
    privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
    /** Whether the app had been asked for readiness when the schemes were registered (too late for privileges). */
    registeredAfterReady: false,
    handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  },
  session: {
    headersListener: undefined as Handler | undefined,
    permissionRequestHandler: undefined as Handler | undefined,
    permissionCheckHandler: undefined as Handler | undefined,
    devicePermissionHandler: undefined as Handler | undefined,
    displayMediaRequestHandler: undefined as Handler | undefined,
  },
};

export const electronModule = {
  app: fake.app,
  BrowserWindow: FakeBrowserWindow,
  Menu: FakeMenu,
  Tray: FakeTray,
  Notification: FakeNotification,
  nativeImage: {
    createFromPath: (path: string) => ({ path, setTemplateImage: () => {} }),
  },
  nativeTheme: { shouldUseDarkColors: true },
  protocol: {
    registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) => {
      fake.protocol.registeredAfterReady ||= fake.app.readyAsked;
      fake.protocol.privileged.push(...schemes);
    },
    handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) => fake.protocol.handlers.set(scheme, handler),
  },
  ipcMain: {
    handle: (channel: string, handler: Handler) => fake.ipcHandlers.set(channel, handler),
    removeHandler: (channel: string) => {
      fake.removedIpcHandlers.push(channel);
      fake.ipcHandlers.delete(channel);
    },
  },
  session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived: (listener: Handler) => {
          fake.session.headersListener = listener;
        },
      },
      setPermissionRequestHandler: (handler: Handler) => {
        fake.session.permissionRequestHandler = handler;
      },
      setPermissionCheckHandler: (handler: Handler) => {
        fake.session.permissionCheckHandler = handler;
      },
      setDevicePermissionHandler: (handler: Handler) => {
        fake.session.devicePermissionHandler = handler;
      },
      setDisplayMediaRequestHandler: (handler: Handler) => {
        fake.session.displayMediaRequestHandler = handler;
      },
    },
  },
  shell: {
    openExternal: async (url: string) => {
      fake.openedExternally.push(url);
    },
    openPath: async (path: string) => {
      fake.openedPaths.push(path);
      return '';
    },
  },
  dialog: {
    showErrorBox: (title: string, content: string) => fake.errorBoxes.push({ title, content }),
  },
};
