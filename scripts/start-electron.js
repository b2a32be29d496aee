#!/usr/bin/env node
// `npm start`: the desktop app. Makes sure Electron's binary is there (the electron package fetches
// it on first use), builds better-sqlite3 for Electron when needed, builds the app, and launches it.
// When Electron's download is blocked it says so and points at `npm run web`, the same app in a browser.
//
//   npm start [-- <arguments for Electron>]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureElectronSqlite, installedVersion, projectRoot } from './ensure-native.js';

/** The Electron executable the electron package points at, or undefined when it is not installed. */
export function electronExecutable(root = projectRoot, env = process.env) {
  const dir = join(root, 'node_modules', 'electron');
  let relative;
  try {
    relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!relative) return undefined;
  const executable = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), relative);
  return existsSync(executable) ? executable : undefined;
}

export function downloadBlockedMessage(version, detail) {
  return [
    '',
    `Photon cannot start the desktop app: the Electron ${version} binary could not be downloaded.`,
    ...(detail ? [`  (${detail})`] : []),
    '  The electron package fetches it from github.com on first use; a firewall or proxy may block that.',
    '  ELECTRON_MIRROR can point at a mirror, and `npm start` tries again next time.',
    '',
    'The same app runs in your browser, with no Electron needed:',
    '',
    '    npm run web',
    '',
  ].join('\n');
}

export function nativeBuildFailedMessage(detail) {
  return [
    '',
    `Photon cannot start the desktop app: ${detail}`,
    '',
    'The same app runs in your browser, with no native build for Electron needed:',
    '',
    '    npm run web',
    '',
  ].join('\n');
}

/** The environment Electron starts with: never as plain Node (an editor's terminal may set that). */
export function electronEnv(env = process.env) {
  const result = { ...env };
  delete result.ELECTRON_RUN_AS_NODE;
  return result;
}

/** Runs node_modules/electron/install.js when the binary is missing; returns the executable or undefined. */
export function ensureElectronBinary(root = projectRoot, { timeoutMs = 10 * 60_000, env = process.env } = {}) {
  const existing = electronExecutable(root, env);
  if (existing) return { executable: existing };
  console.error(`photon: downloading Electron ${installedVersion(root, 'electron')} (first start)…`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const executable = electronExecutable(root, env);
  if (executable) return { executable };
  const reason = result.error?.message ?? lastLine(result.stderr) ?? `install.js exited with ${result.status ?? result.signal}`;
  return { executable: undefined, reason };
}

function lastLine(text) {
  const lines = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  return lines.length ? lines[0] : undefined;
}

export async function main(argv = process.argv.slice(2), root = projectRoot) {
  const version = installedVersion(root, 'electron');
  const binary = ensureElectronBinary(root);
  if (!binary.executable) {
    console.error(downloadBlockedMessage(version, binary.reason));
    return 1;
  }

  try {
    ensureElectronSqlite({ root });
  } catch (error) {
    console.error(nativeBuildFailedMessage(error instanceof Error ? error.message : String(error)));
    return 1;
  }

  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('\nphoton: the build failed (see above).');
    return build.status ?? 1;
  }

  const child = spawn(binary.executable, ['.', ...argv], { cwd: root, stdio: 'inherit', env: electronEnv() });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolveExit) => {
    child.on('error', (error) => {
      console.error(`photon: could not launch Electron (${binary.executable}): ${error.message}`);
      resolveExit(1);
    });
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main();
}
