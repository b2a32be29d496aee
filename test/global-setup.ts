// Runs once before the suite: marks the environment as a test run and makes sure the built
// renderer that `photon serve` hands to Chromium is current, so `npm test` works on a fresh clone,
// and that the built command line the tests' `photon` runs is too.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, buildIsCurrent } from '../scripts/build-cli.js';
import { ensureSpawner } from '../scripts/build-pty-spawner.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'renderer');
const sources = [join(root, 'renderer'), join(root, 'shared'), join(root, 'examples'), join(root, 'electron.vite.config.ts'), join(root, 'package-lock.json')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when out/renderer is missing or older than any file it is built from. */
export function rendererIsStale(): boolean {
  const built = join(outDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => newestMtime(source) > builtAt);
}

/**
 * Builds only the renderer, with the settings electron-vite uses for it (root renderer/, the React
 * plugin, relative asset paths), so the tests do not depend on the Electron parts being buildable.
 * It builds into a fresh folder and swaps it in, so a server serving the old build never sees a
 * half-written one.
 */
export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const staging = join(root, 'out', `.renderer-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: false,
      root: join(root, 'renderer'),
      base: './',
      mode: 'production',
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir: staging, emptyOutDir: true, rollupOptions: { input: join(root, 'renderer', 'index.html') } },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  mkdirSync(dirname(outDir), { recursive: true });
  const old = join(root, 'out', `.renderer-old-${process.pid}`);
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(staging, outDir);
  rmSync(old, { recursive: true, force: true });
}

export default async function setup(): Promise<void> {
  process.env.PHOTON_TEST = '1';
  // Terminals start through it where it is built (a fresh clone whose install had no compiler falls back to node-pty).
  ensureSpawner();
  if (rendererIsStale()) await buildRenderer();
  // bin/photon.js runs out/cli only while every source it was made from has the size and time
  // buildIsCurrent compares too; in an edited checkout it runs the sources through tsx instead (a
  // one-step `photon run` took 5 times the CPU), which every test spawning `photon` paid, and that
  // is not what users run. A fresh clone's install built it already: the check is then all this costs.
  if (!buildIsCurrent()) await buildCli();
}
