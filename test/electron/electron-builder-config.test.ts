/**
 * electron-builder.yml, read and validated by electron-builder's own loader and schema (so a
 * misspelt option fails here, not at release time), then checked for the packaging the app needs.
 * `npm run dist` itself cannot run here: it downloads Electron for each target.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { appId } from '../../electron/main/lifecycle-policy.js';
import { trayIconPath, windowIconPath } from '../../electron/main/icons.js';

const repoRoot = join(import.meta.dirname, '..', '..');

interface TargetList {
  target?: (string | { target: string })[];
  icon?: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: { filter?: string[] }[];
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  afterPack?: string;
  electronFuses?: Record<string, boolean>;
  mac?: TargetList;
  win?: TargetList;
  linux?: TargetList;
  directories?: { output?: string };
}

let config: BuilderConfig;

beforeAll(async () => {
  // electron-builder's own config loader and validator (app-builder-lib comes with electron-builder).
  const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
  const loaded = (await getConfig(repoRoot, join(repoRoot, 'electron-builder.yml'), null)) as BuilderConfig;
  await validateConfiguration(loaded as never, { isEnabled: false, add: () => {} } as never);
  config = loaded;
});

const targets = (list: TargetList | undefined) => (list?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target));
const filePatterns = () => config.files?.flatMap((set) => set.filter ?? []) ?? [];

describe('electron-builder.yml', () => {
  it('names the app as the main process and package.json do', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { productName: string; main: string };
    expect(config.appId).toBe(appId);
    expect(config.productName).toBe('Photon');
    expect(pkg.productName).toBe('Photon');
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('builds dmg and zip on macOS, nsis on Windows, AppImage and deb on Linux', () => {
    expect(targets(config.mac).sort()).toEqual(['dmg', 'zip']);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(targets(config.linux).sort()).toEqual(['AppImage', 'deb']);
  });

  it('packs the build, package.json, the tray icons and the production modules', () => {
    const patterns = filePatterns();
    expect(patterns).toEqual(expect.arrayContaining(['out/**/*', 'package.json', 'node_modules/**/*', 'resources/tray/**/*']));
    // Every icon the running app loads is packed.
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const tray = trayIconPath('resources', platform).replaceAll('\\', '/');
      expect(tray.startsWith('resources/tray/')).toBe(true);
      expect(existsSync(join(repoRoot, tray))).toBe(true);
    }
    const windowIcon = windowIconPath('resources').replaceAll('\\', '/');
    expect(patterns).toContain(windowIcon);
    expect(existsSync(join(repoRoot, windowIcon))).toBe(true);
  });

  it('unpacks native modules, node-pty’s spawn-helper and photon-pty-spawner from the asar', async () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/node_modules/node-pty/build/Release/spawn-helper', '**/node_modules/node-pty/prebuilds/*/spawn-helper']));
    // Packed (under out/) and unpacked where the engine looks for it beside the app's bundle.
    const { spawnerBinary } = await import('../../scripts/build-pty-spawner.js');
    const packed = relative(repoRoot, spawnerBinary).replaceAll('\\', '/');
    expect(packed.startsWith('out/')).toBe(true);
    expect(config.asarUnpack).toContain(`${dirname(packed)}/**`);
  });

  it('never rebuilds node_modules in place; the afterPack hook adds better-sqlite3 for Electron', async () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('./scripts/after-pack.js');
    const hook = (await import(pathToFileURL(join(repoRoot, config.afterPack!)).href)) as { afterPack: unknown; default: unknown };
    expect(typeof hook.afterPack).toBe('function');
    expect(hook.default).toBe(hook.afterPack);
    // The Node build of better-sqlite3 is left out: the packaged app never loads it.
    expect(filePatterns()).toContain('!node_modules/better-sqlite3/build/**');
  });

  it("hardens Electron's fuses", () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The window loads from app://photon/, so file:// keeps none of its extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has an icon for each platform', () => {
    const icns = readFileSync(join(repoRoot, config.mac!.icon!));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    const ico = readFileSync(join(repoRoot, config.win!.icon!));
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(existsSync(join(repoRoot, config.linux!.icon!, '512x512.png'))).toBe(true);
  });
});

describe('the afterPack hook', () => {
  it("builds for the pack's platform, arch and Electron version", async () => {
    const { nativeTarget } = await import('../../scripts/after-pack.js');
    const packager = (electronVersion: string | null) => ({ config: { electronVersion }, info: { framework: { version: '45.4.1' } }, getResourcesDir: () => '/r' });
    expect(nativeTarget({ arch: 3, electronPlatformName: 'darwin', appOutDir: '/o', packager: packager(null) })).toEqual({ electronVersion: '45.4.1', platform: 'darwin', arch: 'arm64' });
    expect(nativeTarget({ arch: 1, electronPlatformName: 'mas', appOutDir: '/o', packager: packager('46.0.0') })).toEqual({ electronVersion: '46.0.0', platform: 'darwin', arch: 'x64' });
    expect(nativeTarget({ arch: 0, electronPlatformName: 'win32', appOutDir: '/o', packager: packager(null) })).toEqual({ electronVersion: '45.4.1', platform: 'win32', arch: 'ia32' });
    expect(() => nativeTarget({ arch: 9, electronPlatformName: 'linux', appOutDir: '/o', packager: packager(null) })).toThrow(/unknown arch/);
  });
});
