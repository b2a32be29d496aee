/**
 * The application menu as data: the usual roles per platform, plus the app's own actions named
 * as data so the glue maps them to functions and tests can read the whole menu.
 */
export type MenuRole =
  | 'about' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'close'
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'pasteAndMatchStyle' | 'delete' | 'selectAll'
  | 'reload' | 'forceReload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen'
  | 'minimize' | 'zoom' | 'front' | 'window' | 'help' | 'appMenu';

export type MenuAction = { kind: 'showWindow' } | { kind: 'openDataFolder' };

export type MenuItemModel =
  | { type: 'separator' }
  | { role: MenuRole; label?: string; registerAccelerator?: false }
  | { label: string; action: MenuAction; accelerator?: string; registerAccelerator?: false }
  | { label: string; role?: MenuRole; submenu: MenuItemModel[] };

export interface AppMenuOptions {
  /** Developer tools and force reload only in an unpackaged app. */
  isDev?: boolean;
}

const separator = { type: 'separator' } as const;

export function appMenuTemplate(platform: NodeJS.Platform, options: AppMenuOptions = {}): MenuItemModel[] {
  const mac = platform === 'darwin';
  const appMenu: MenuItemModel = {
    label: 'Photon',
    role: 'appMenu',
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
  const file: MenuItemModel = {
    label: 'File',
    submenu: [{ label: 'Open Data Folder', action: { kind: 'openDataFolder' } }, separator, mac ? { role: 'close' } : { role: 'quit', label: 'Quit' }],
  };
  const edit: MenuItemModel = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemModel = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(options.isDev ? [{ role: 'forceReload' } as const, { role: 'toggleDevTools' } as const] : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemModel = {
    label: 'Window',
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { label: 'Photon', action: { kind: 'showWindow' } }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemModel = {
    label: 'Help',
    role: 'help',
    submenu: mac ? [{ label: 'Open Data Folder', action: { kind: 'openDataFolder' } }] : [{ role: 'about', label: 'About Photon' }],
  };
  if (mac) return [appMenu, file, edit, view, windowMenu, help];
  // On Windows and Linux a menu's registered accelerators take Ctrl chords before the page sees them,
  // and the window holds terminals whose programs own those chords (Ctrl+C interrupts, Ctrl+W
  // erases a word, Ctrl+R searches history, Ctrl+A goes to the line's start). The menu still shows
  // the keys; text fields get copy, paste and undo from Chromium itself. macOS uses Cmd, no clash.
  return [file, edit, view, windowMenu, help].map(withoutRegisteredAccelerators);
}

function withoutRegisteredAccelerators(item: MenuItemModel): MenuItemModel {
  if ('type' in item) return item;
  if ('submenu' in item) return { ...item, submenu: item.submenu.map(withoutRegisteredAccelerators) };
  return { ...item, registerAccelerator: false };
}
