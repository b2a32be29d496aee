import { BrowserWindow, nativeTheme, shell, type WebContents } from 'electron';
import { appUrlWithRoute } from './app-url.js';
import { externalLinkPolicy, isAllowedNavigation } from './navigation-policy.js';
import { windowOptions } from './window-options.js';

export interface MainWindowConfig {
  appUrl: string;
  preloadPath: string;
  icon?: string;
  devTools: boolean;
}

/** The one window: created on demand, shown when ready, and shown again (not duplicated) on request. */
export class MainWindow {
  private window: BrowserWindow | undefined;

  constructor(private readonly config: MainWindowConfig) {}

  get current(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  /** Whether an IPC sender is this window's page. */
  owns(contents: WebContents): boolean {
    return this.current?.webContents === contents;
  }

  /** Shows the window (creating it if needed), optionally at a route of the renderer. */
  show(route?: string): BrowserWindow {
    const existing = this.current;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      if (route) void existing.webContents.loadURL(appUrlWithRoute(this.config.appUrl, route));
      return existing;
    }
    return this.create(route);
  }

  private create(route?: string): BrowserWindow {
    const window = new BrowserWindow(
      windowOptions(this.config.preloadPath, { dark: nativeTheme.shouldUseDarkColors, icon: this.config.icon, devTools: this.config.devTools }),
    );
    this.window = window;
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    void window.loadURL(route ? appUrlWithRoute(this.config.appUrl, route) : this.config.appUrl);
    return window;
  }
}

/**
 * Locks every web contents the app ever creates: no navigation away from the app, no new
 * windows (an http(s) link opened as a new window goes to the user's browser), no <webview>.
 */
export function lockDownWebContents(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event) => {
    // Links meant for the browser open through the window-open handler (target="_blank").
    if (!isAllowedNavigation(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = externalLinkPolicy(url);
    if (decision.action === 'open-externally') void shell.openExternal(decision.url);
    return { action: 'deny' };
  });
}
