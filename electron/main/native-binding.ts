import { join } from 'node:path';

/**
 * better-sqlite3 is not N-API, so the desktop app loads its own build made for Electron's ABI and
 * Node (the tests, the CLI, the browser host) keeps the one in node_modules. scripts/ensure-native.js
 * writes the Electron build to the folder named here; a test keeps the two in step.
 */
export function electronNativeDirName(target: { electronVersion: string; platform: string; arch: string }): string {
  return `electron-${target.electronVersion}-${target.platform}-${target.arch}`;
}

export const sqliteBindingFile = 'better_sqlite3.node';

export interface SqliteBindingContext {
  isPackaged: boolean;
  /** app.getAppPath(): the project folder in development. */
  appPath: string;
  /** process.resourcesPath: where a packaged app keeps files outside its asar. */
  resourcesPath: string;
  electronVersion: string;
  platform: string;
  arch: string;
}

/** Where the app's better-sqlite3 build is: inside the package (placed by scripts/after-pack.js), or under .native/ in development. */
export function sqliteBindingPath(context: SqliteBindingContext): string {
  if (context.isPackaged) return join(context.resourcesPath, 'native', sqliteBindingFile);
  return join(context.appPath, '.native', electronNativeDirName(context), sqliteBindingFile);
}
