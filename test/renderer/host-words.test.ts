import { describe, expect, it } from 'vitest';
import { isDesktopWindow } from '../../renderer/client/pick-transport.js';
import { hostWords } from '../../renderer/lib/host-words.js';
import { bridgeGlobalName } from '../../shared/bridge.js';

/** A window as the renderer sees it: the desktop app's preload puts its bridge on it. */
const desktopWindow = { [bridgeGlobalName]: { invoke: () => Promise.resolve(), on: () => () => undefined } } as unknown as Window;
const browserTab = {} as unknown as Window;

describe('what the status bar says this window is connected to', () => {
  it('a desktop window on a photon daemon says it is connected to the daemon, not "browser"', () => {
    expect(isDesktopWindow(desktopWindow)).toBe(true);
    expect(hostWords('daemon', isDesktopWindow(desktopWindow))).toEqual({ short: 'desktop · connected to photon daemon', long: 'desktop app connected to photon daemon' });
  });

  it('a browser tab served by the daemon says so; the desktop app and photon serve as before', () => {
    expect(isDesktopWindow(browserTab)).toBe(false);
    expect(hostWords('daemon', isDesktopWindow(browserTab)).short).toBe('browser · photon daemon');
    expect(hostWords('electron', true)).toEqual({ short: 'desktop', long: 'desktop app' });
    expect(hostWords('server', false)).toEqual({ short: 'browser', long: 'browser host' });
  });
});
