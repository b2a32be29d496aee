import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type MenuItemModel } from '../../electron/main/app-menu.js';

const topLabels = (menu: MenuItemModel[]) => menu.map((item) => ('label' in item ? item.label : undefined));
const roles = (menu: MenuItemModel[]): string[] =>
  menu.flatMap((item) => [...('role' in item && item.role ? [item.role] : []), ...('submenu' in item ? roles(item.submenu) : [])]);
const submenu = (menu: MenuItemModel[], label: string) => {
  const item = menu.find((i) => 'label' in i && i.label === label);
  return item && 'submenu' in item ? item.submenu : [];
};

describe('appMenuTemplate', () => {
  it('on macOS: the app menu first, then File, Edit, View, Window, Help', () => {
    const menu = appMenuTemplate('darwin');
    expect(topLabels(menu)).toEqual(['Photon', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(submenu(menu, 'Photon'))).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(submenu(menu, 'Edit'))).toContain('pasteAndMatchStyle');
    expect(roles(submenu(menu, 'Window'))).toEqual(['minimize', 'zoom', 'front']);
    expect(roles(submenu(menu, 'File'))).toEqual(['close']);
  });

  it('on Windows and Linux: no app menu; Quit lives in File', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const menu = appMenuTemplate(platform);
      expect(topLabels(menu)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      expect(roles(submenu(menu, 'File'))).toEqual(['quit']);
      expect(roles(submenu(menu, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
      expect(roles(submenu(menu, 'Help'))).toEqual(['about']);
    }
  });

  it('offers developer tools only in development', () => {
    expect(roles(appMenuTemplate('linux'))).not.toContain('toggleDevTools');
    expect(roles(appMenuTemplate('linux', { isDev: true }))).toEqual(expect.arrayContaining(['toggleDevTools', 'forceReload']));
  });

  it('on Windows and Linux leaves Ctrl chords to the terminals: no item registers its keys', () => {
    const leaves = (menu: MenuItemModel[]): MenuItemModel[] => menu.flatMap((item) => ('submenu' in item ? leaves(item.submenu) : 'type' in item ? [] : [item]));
    for (const platform of ['win32', 'linux'] as const) {
      const items = leaves(appMenuTemplate(platform, { isDev: true }));
      expect(items.length).toBeGreaterThan(10);
      for (const item of items) expect(item, JSON.stringify(item)).toMatchObject({ registerAccelerator: false });
    }
    // Cmd chords do not clash with what terminal programs read: macOS keeps them.
    expect(leaves(appMenuTemplate('darwin')).filter((item) => 'registerAccelerator' in item)).toEqual([]);
  });

  it('names its own actions as data', () => {
    const menu = appMenuTemplate('linux');
    expect(submenu(menu, 'File')[0]).toEqual({ label: 'Open Data Folder', action: { kind: 'openDataFolder' }, registerAccelerator: false });
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});
