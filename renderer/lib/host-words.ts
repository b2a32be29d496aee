import type { SystemInfo } from '../../shared/api.js';

/**
 * What this window is connected to, in words: the status bar's short form and the home page's
 * longer one. A desktop window on a `photon daemon` answers through the daemon's engine (its
 * system.info says `daemon`), so only the window itself knows it is the desktop app.
 */
export function hostWords(host: SystemInfo['host'], desktopWindow: boolean): { short: string; long: string } {
  if (host === 'daemon') {
    return desktopWindow
      ? { short: 'desktop · connected to photon daemon', long: 'desktop app connected to photon daemon' }
      : { short: 'browser · photon daemon', long: 'browser host of photon daemon' };
  }
  if (host === 'electron') return { short: 'desktop', long: 'desktop app' };
  return { short: 'browser', long: 'browser host' };
}
