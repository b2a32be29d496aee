import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemModel } from './app-menu.js';
import type { TrayAction, TrayItem } from './tray-menu.js';

/** Maps the application menu model onto Electron's menu. */
export function buildAppMenu(model: MenuItemModel[], run: (action: MenuAction) => void): Menu {
  const toItem = (item: MenuItemModel): MenuItemConstructorOptions => {
    if ('type' in item) return { type: 'separator' };
    if ('submenu' in item) return { label: item.label, ...(item.role ? { role: item.role } : {}), submenu: item.submenu.map(toItem) };
    const registration = item.registerAccelerator === false ? { registerAccelerator: false } : {};
    if ('action' in item) return { label: item.label, ...(item.accelerator ? { accelerator: item.accelerator } : {}), ...registration, click: () => run(item.action) };
    return { role: item.role, ...(item.label ? { label: item.label } : {}), ...registration };
  };
  return Menu.buildFromTemplate(model.map(toItem));
}

/** Maps the tray menu model onto Electron's menu. */
export function buildTrayMenu(model: TrayItem[], run: (action: TrayAction) => void): Menu {
  const toItem = (item: TrayItem): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { id: item.id, label: item.label, enabled: item.enabled, submenu: item.items.map(toItem) };
    const action = item.action;
    return { id: item.id, label: item.label, enabled: item.enabled, ...(action ? { click: () => run(action) } : {}) };
  };
  return Menu.buildFromTemplate(model.map(toItem));
}
