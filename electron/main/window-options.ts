import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsExtra {
  /** Follow the system theme from the first frame, before the page paints. */
  dark?: boolean;
  /** The window icon (Linux and Windows; macOS takes the app bundle's). */
  icon?: string;
  /** Developer tools: available in an unpackaged app only. */
  devTools?: boolean;
}

/**
 * The main window. The page gets no Node, runs sandboxed in its own context, and talks to the
 * main process only through the preload's two functions.
 */
export function windowOptions(preloadPath: string, extra: WindowOptionsExtra = {}): BrowserWindowConstructorOptions {
  return {
    title: 'Photon',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    // Shown on ready-to-show, so the user never sees a blank white frame.
    show: false,
    backgroundColor: extra.dark ? '#0f1115' : '#ffffff',
    ...(extra.icon ? { icon: extra.icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: extra.devTools ?? false,
    },
  };
}
