// electron-builder's afterPack hook (electron-builder.yml). npmRebuild is off, so node_modules is
// never rebuilt in place for Electron (that would break `npm test`); instead better-sqlite3 is built
// for the packaged Electron and arch and put in the app's resources/native/, where the main process
// looks for it (electron/main/native-binding.ts). node-pty and keytar are N-API: they load as built.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureElectronSqlite, sqliteBindingFile } from './ensure-native.js';

// builder-util's Arch enum, by value.
const archNames = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export function nativeTarget(context) {
  const arch = archNames[context.arch];
  if (!arch) throw new Error(`after-pack: unknown arch ${context.arch}`);
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const electronVersion = context.packager.config.electronVersion ?? context.packager.info.framework.version;
  return { electronVersion, platform, arch };
}

export async function afterPack(context) {
  const target = nativeTarget(context);
  // A universal macOS app is merged from the x64 and arm64 packs, each of which got its own build here.
  if (target.arch === 'universal') return;
  const built = ensureElectronSqlite(target);
  const dir = join(context.packager.getResourcesDir(context.appOutDir), 'native');
  mkdirSync(dir, { recursive: true });
  copyFileSync(built, join(dir, sqliteBindingFile));
}

export default afterPack;
