import { join } from 'node:path';

/**
 * The tray icon for a platform: a template image on macOS (drawn in black, tinted by the menu bar),
 * colored elsewhere. Electron picks the @2x file beside it on high-density screens.
 */
export function trayIconPath(resourcesDir: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(resourcesDir, 'tray', 'trayTemplate.png');
  if (platform === 'win32') return join(resourcesDir, 'tray', 'tray.png');
  // Linux status areas draw icons at about 22-24 px and scale what they get.
  return join(resourcesDir, 'tray', 'tray-linux.png');
}

/** The window icon (Linux and Windows title bars and task switchers). */
export function windowIconPath(resourcesDir: string): string {
  return join(resourcesDir, 'icons', 'icon-512.png');
}
