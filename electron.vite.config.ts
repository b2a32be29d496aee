import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { withoutMetaPolicy } from './electron/main/content-security-policy';
import { ensureSpawner } from './scripts/build-pty-spawner.js';

/**
 * The engine's pty host runs as a process of its own from plain JavaScript files, found beside the
 * engine's code (`new URL('./pty-host-main.js', import.meta.url)`): in the bundle, beside index.js.
 * The spawner it starts terminals through is a C program, built (when stale) into out/pty-spawner/,
 * which the bundle finds one folder up (terminals/pty-host.ts, ptySpawnerPath).
 */
const terminalsDir = resolve(__dirname, 'electron/engine/terminals');
const ptyHost: Plugin = {
  name: 'photon-pty-host',
  buildStart() {
    ensureSpawner();
  },
  generateBundle() {
    // The host's files are the plain JavaScript of terminals/ (the engine's own are TypeScript).
    for (const fileName of readdirSync(terminalsDir).filter((name) => name.endsWith('.js'))) {
      this.emitFile({ type: 'asset', fileName, source: readFileSync(resolve(terminalsDir, fileName), 'utf8') });
    }
  },
};

/** The dev server's page without index.html's CSP meta tag: the dev header (with HMR's needs) stands alone. */
const devServerPolicy: Plugin = { name: 'photon-dev-csp', apply: 'serve', transformIndexHtml: (html) => withoutMetaPolicy(html) };

// One build for the three parts of the desktop app; the browser host serves out/renderer as is.
export default defineConfig({
  main: {
    // Dependencies stay in node_modules (native modules cannot be bundled).
    plugins: [ptyHost],
    build: { outDir: 'out/main', externalizeDeps: true, rollupOptions: { input: resolve(__dirname, 'electron/main/index.ts') } },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': everything else (zod, shared/) is bundled in.
      externalizeDeps: false,
      rollupOptions: { input: resolve(__dirname, 'electron/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), devServerPolicy],
    build: { outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'renderer/index.html') } },
  },
});
