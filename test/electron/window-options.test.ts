import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../electron/main/window-options.js';

describe('windowOptions', () => {
  it('isolates and sandboxes the page, with no Node', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('has no developer tools unless asked (an unpackaged app)', () => {
    expect(windowOptions('/p').webPreferences!.devTools).toBe(false);
    expect(windowOptions('/p', { devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('waits for the first paint and matches the system theme', () => {
    expect(windowOptions('/p').show).toBe(false);
    expect(windowOptions('/p', { dark: true }).backgroundColor).not.toBe(windowOptions('/p', { dark: false }).backgroundColor);
  });

  it('sets an icon only when given', () => {
    expect(windowOptions('/p')).not.toHaveProperty('icon');
    expect(windowOptions('/p', { icon: '/i.png' }).icon).toBe('/i.png');
  });
});
