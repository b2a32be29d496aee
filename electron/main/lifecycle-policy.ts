/** The app's identity; electron-builder.yml's appId is the same string (a test checks). */
export const appId = 'dev.photon.desktop';

/**
 * Whether closing the last window quits. On macOS apps stay in the dock. Elsewhere the app stays
 * in the tray while runs are going (closing a window must not stop them) and quits when idle.
 */
export function quitWhenAllWindowsClosed(state: { platform: NodeJS.Platform; hasTray: boolean; runningCount: number }): boolean {
  if (state.platform === 'darwin') return false;
  return !(state.hasTray && state.runningCount > 0);
}
