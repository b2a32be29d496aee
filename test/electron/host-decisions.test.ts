import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxMessageBytes } from '../../shared/api.js';
import { dataDirFor } from '../../electron/main/data-dir.js';
import { trayIconPath, windowIconPath } from '../../electron/main/icons.js';
import { checkInvokeRequest } from '../../electron/main/invoke-request.js';
import { quitWhenAllWindowsClosed } from '../../electron/main/lifecycle-policy.js';
import { electronNativeDirName, sqliteBindingPath } from '../../electron/main/native-binding.js';
import { electronNativeDirName as scriptDirName, electronSqlitePath } from '../../scripts/ensure-native.js';

describe('checkInvokeRequest', () => {
  it('passes a contract method through as a fresh envelope', () => {
    expect(checkInvokeRequest({ id: 1, method: 'workflows.list', extra: 'dropped' })).toEqual({ ok: true, request: { id: 1, method: 'workflows.list' } });
    expect(checkInvokeRequest({ id: 'x', method: 'runs.get', params: { runId: 'r' } })).toEqual({ ok: true, request: { id: 'x', method: 'runs.get', params: { runId: 'r' } } });
  });

  it('refuses what is not an envelope', () => {
    for (const bad of [null, undefined, 'workflows.list', 42, [1, 'workflows.list']]) {
      expect(checkInvokeRequest(bad)).toMatchObject({ ok: false, reply: { id: null, ok: false, error: { code: 'invalid' } } });
    }
    expect(checkInvokeRequest({ method: 'workflows.list' })).toMatchObject({ ok: false, reply: { id: null, error: { code: 'invalid' } } });
  });

  it('refuses methods the contract does not name, including prototype names', () => {
    for (const method of ['shell.exec', 'toString', '__proto__', 'constructor', '', 7]) {
      expect(checkInvokeRequest({ id: 3, method })).toMatchObject({ ok: false, reply: { id: 3, ok: false, error: { code: 'not_found' } } });
    }
  });

  it('keeps its refusals small: a long unknown method is cut, a long id is not echoed', () => {
    const huge = 'x'.repeat(900 * 1024);
    expect(JSON.stringify(checkInvokeRequest({ id: 6, method: huge })).length).toBeLessThan(300);
    expect(checkInvokeRequest({ id: 6, method: { name: huge } })).toMatchObject({ ok: false, reply: { id: 6, error: { message: 'unknown method (object, not a name)' } } });
    const longId = checkInvokeRequest({ id: huge, method: 'workflows.list' });
    expect(longId).toMatchObject({ ok: false, reply: { id: null, error: { code: 'invalid' } } });
    expect(JSON.stringify(longId).length).toBeLessThan(300);
  });

  it('refuses oversized and non-JSON params', () => {
    const big = checkInvokeRequest({ id: 4, method: 'workflows.save', params: { workflow: 'x'.repeat(maxMessageBytes + 1) } });
    expect(big).toMatchObject({ ok: false, reply: { id: 4, error: { code: 'invalid', message: expect.stringContaining('too large') } } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkInvokeRequest({ id: 5, method: 'workflows.save', params: cyclic })).toMatchObject({ ok: false, reply: { id: 5, error: { code: 'invalid' } } });
  });
});

describe('dataDirFor', () => {
  it("is Electron's userData folder unless PHOTON_DATA_DIR names another", () => {
    expect(dataDirFor({}, '/home/u/.config/Photon')).toEqual({ dataDir: '/home/u/.config/Photon', overridden: false });
    expect(dataDirFor({ PHOTON_DATA_DIR: '  ' }, '/u')).toEqual({ dataDir: '/u', overridden: false });
    expect(dataDirFor({ PHOTON_DATA_DIR: 'rel/data' }, '/u')).toEqual({ dataDir: resolve('rel/data'), overridden: true });
  });
});

describe('sqliteBindingPath', () => {
  const context = { appPath: '/src/photon', resourcesPath: '/opt/Photon/resources', electronVersion: '45.4.1', platform: 'linux', arch: 'x64' };

  it('in development: the .native build that scripts/ensure-native.js writes', () => {
    const path = sqliteBindingPath({ ...context, isPackaged: false });
    expect(path).toBe(join('/src/photon', '.native', 'electron-45.4.1-linux-x64', 'better_sqlite3.node'));
    expect(path).toBe(electronSqlitePath('/src/photon', context));
  });

  it('packaged: resources/native, where scripts/after-pack.js puts it', () => {
    expect(sqliteBindingPath({ ...context, isPackaged: true })).toBe(join('/opt/Photon/resources', 'native', 'better_sqlite3.node'));
  });

  it('the script and the app name the folder alike', () => {
    for (const target of [context, { electronVersion: '46.0.0-beta.1', platform: 'darwin', arch: 'arm64' }]) {
      expect(electronNativeDirName(target)).toBe(scriptDirName(target));
    }
  });
});

describe('quitWhenAllWindowsClosed', () => {
  it('macOS apps stay open', () => {
    expect(quitWhenAllWindowsClosed({ platform: 'darwin', hasTray: false, runningCount: 0 })).toBe(false);
  });

  it('elsewhere: stays in the tray while runs go on, quits when idle', () => {
    expect(quitWhenAllWindowsClosed({ platform: 'win32', hasTray: true, runningCount: 2 })).toBe(false);
    expect(quitWhenAllWindowsClosed({ platform: 'linux', hasTray: true, runningCount: 0 })).toBe(true);
    // Without a tray there would be no way back to the running runs but quitting (which interrupts them, resumably).
    expect(quitWhenAllWindowsClosed({ platform: 'linux', hasTray: false, runningCount: 2 })).toBe(true);
  });
});

describe('icons', () => {
  it('a template image on macOS, colored elsewhere', () => {
    expect(trayIconPath('/r', 'darwin')).toBe(join('/r', 'tray', 'trayTemplate.png'));
    expect(trayIconPath('/r', 'win32')).toBe(join('/r', 'tray', 'tray.png'));
    expect(trayIconPath('/r', 'linux')).toBe(join('/r', 'tray', 'tray-linux.png'));
    expect(windowIconPath('/r')).toBe(join('/r', 'icons', 'icon-512.png'));
  });
});
