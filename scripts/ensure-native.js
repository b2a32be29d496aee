#!/usr/bin/env node
// Builds better-sqlite3 for Electron into .native/electron-<version>-<platform>-<arch>/, leaving the
// Node build in node_modules alone: `npm test` keeps using Node's, `npm start` uses Electron's,
// and switching between them needs no step. node-pty and keytar are N-API and load in both.
//
//   node scripts/ensure-native.js [electron] [--arch x64] [--platform linux] [--electron-version 45.4.1] [--force]
//
// It tries a prebuilt binary first (prebuild-install), then a build from source (node-gyp against
// Electron's headers), each in a temporary copy of the package so node_modules never changes.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const sqliteBindingFile = 'better_sqlite3.node';

/** The folder name under .native/; electron/main/native-binding.ts names the same folder (a test keeps them equal). */
export function electronNativeDirName({ electronVersion, platform, arch }) {
  return `electron-${electronVersion}-${platform}-${arch}`;
}

export function electronSqlitePath(root, target) {
  return join(root, '.native', electronNativeDirName(target), sqliteBindingFile);
}

export function installedVersion(root, packageName) {
  return JSON.parse(readFileSync(join(root, 'node_modules', packageName, 'package.json'), 'utf8')).version;
}

/** Electron's module ABI (NODE_MODULE_VERSION), which the electron package ships beside its version. */
export function electronAbi(root) {
  try {
    return readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function prebuildInstallArgs({ electronVersion, platform, arch }) {
  return ['--runtime', 'electron', '--target', electronVersion, '--platform', platform, '--arch', arch, '--verbose'];
}

export function nodeGypArgs({ electronVersion, arch }, devDir = join(homedir(), '.electron-gyp')) {
  return ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', `--devdir=${devDir}`];
}

// npm passes its config to scripts as npm_config_*; prebuild-install and node-gyp read those, and a
// `nodedir` meant for Node's headers would quietly build for the wrong runtime.
const conflictingNpmConfig = /^npm_config_(runtime|target|target_arch|arch|target_platform|platform|nodedir|disturl|dist_url|devdir|build_from_source)$/i;

export function builderEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && !conflictingNpmConfig.test(name)));
}

/**
 * Makes sure the Electron build exists and returns its path. Throws an Error whose message says
 * what was tried and why it failed.
 */
export function ensureElectronSqlite(options = {}) {
  const root = options.root ?? projectRoot;
  const log = options.log ?? ((line) => console.error(line));
  const target = {
    electronVersion: options.electronVersion ?? installedVersion(root, 'electron'),
    platform: options.platform ?? process.platform,
    arch: options.arch ?? process.arch,
  };
  const destination = electronSqlitePath(root, target);
  const sqliteVersion = installedVersion(root, 'better-sqlite3');
  const stampFile = join(dirname(destination), 'build.json');
  if (!options.force && existsSync(destination) && readStamp(stampFile)?.betterSqlite3 === sqliteVersion) return destination;

  log(`photon: building better-sqlite3 ${sqliteVersion} for Electron ${target.electronVersion} (${target.platform}-${target.arch})…`);
  const work = mkdtempSync(join(tmpdir(), 'photon-native-'));
  const failures = [];
  try {
    const copy = join(work, 'better-sqlite3');
    const buildDir = join(root, 'node_modules', 'better-sqlite3', 'build');
    cpSync(join(root, 'node_modules', 'better-sqlite3'), copy, {
      recursive: true,
      filter: (source) => source !== buildDir && !source.startsWith(buildDir + sep),
    });
    const built = join(copy, 'build', 'Release', sqliteBindingFile);
    const env = builderEnv();
    const timeout = options.timeoutMs ?? 15 * 60_000;
    const run = (label, command, args) => {
      const result = spawnSync(command, args, { cwd: copy, env, encoding: 'utf8', timeout, stdio: options.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'] });
      const ok = result.status === 0 && existsSync(built);
      if (!ok) failures.push(`${label}: ${result.error?.message ?? `exit ${result.status ?? result.signal}`}${tail(result.stderr)}`);
      return ok;
    };

    const prebuilt = run('prebuilt binary (prebuild-install)', process.execPath, [join(root, 'node_modules', 'prebuild-install', 'bin.js'), ...prebuildInstallArgs(target)]);
    const fromSource =
      !prebuilt &&
      (target.platform === process.platform
        ? run('build from source (node-gyp)', process.execPath, [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), ...nodeGypArgs(target)])
        : (failures.push(`build from source: not possible for ${target.platform} on ${process.platform}`), false));
    if (!prebuilt && !fromSource) {
      throw new Error(`better-sqlite3 could not be built for Electron ${target.electronVersion} (${target.platform}-${target.arch}).\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    }
    checkRuntime(built, target, electronAbi(root));

    mkdirSync(dirname(destination), { recursive: true });
    const partial = `${destination}.partial`;
    cpSync(built, partial);
    renameSync(partial, destination);
    writeFileSync(stampFile, `${JSON.stringify({ betterSqlite3: sqliteVersion, ...target, method: prebuilt ? 'prebuild-install' : 'node-gyp' }, null, 2)}\n`);
    log(`photon: better-sqlite3 for Electron is at ${destination}`);
    return destination;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A binary for this machine's platform and arch must refuse to load in Node and name Electron's
 * ABI when it does; one that loads in Node was built for the wrong runtime.
 */
function checkRuntime(file, target, abi) {
  if (target.platform !== process.platform || target.arch !== process.arch || !abi) return;
  const probe = spawnSync(process.execPath, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(file)})`], { encoding: 'utf8' });
  if (probe.status === 0) throw new Error(`the better-sqlite3 built for Electron loads in Node ${process.version}: it was built for Node, not Electron (check npm's nodedir setting)`);
  if (!probe.stderr.includes(`NODE_MODULE_VERSION ${abi}`)) throw new Error(`the better-sqlite3 built for Electron does not have Electron's module version ${abi}:${tail(probe.stderr)}`);
}

function readStamp(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function tail(text) {
  const lines = (text ?? '').trim().split('\n').filter(Boolean).slice(-3);
  return lines.length ? `\n      ${lines.join('\n      ')}` : '';
}

export function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === 'electron') continue;
    else if (arg === '--force') options.force = true;
    else if (arg === '--arch') options.arch = argv[++i];
    else if (arg === '--platform') options.platform = argv[++i];
    else if (arg === '--electron-version') options.electronVersion = argv[++i];
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; usage: ensure-native.js [electron] [--arch A] [--platform P] [--electron-version V] [--force]`);
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const path = ensureElectronSqlite(parseArgs(process.argv.slice(2)));
    console.log(path);
  } catch (error) {
    console.error(`\nphoton: ${error instanceof Error ? error.message : String(error)}`);
    console.error('\nA prebuilt binary comes from github.com; building from source needs Python and a C++ compiler and fetches Electron\'s headers from electronjs.org.');
    console.error('The browser version of Photon needs no Electron build:  npm run web');
    process.exitCode = 1;
  }
}
