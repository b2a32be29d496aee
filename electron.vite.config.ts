import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { withoutMetaPolicy } from './electron/main/content-security-policy';

/**
 * The engine's pty host runs as a process of its own from a plain JavaScript file, found beside the
 * engine's code (`new URL('./pty-host-main.js', import.meta.url)`): in the bundle, beside index.js.
 */
const ptyHostFile: Plugin = {
  name: 'photon-pty-host',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'pty-host-main.js', source: readFileSync(resolve(__dirname, 'electron/engine/terminals/pty-host-main.js'), 'utf8') });
  },
};

/** The dev server's page without index.html's CSP meta tag: the dev header (with HMR's needs) stands alone. */
const devServerPolicy: Plugin = { name: 'photon-dev-csp', apply: 'serve', transformIndexHtml: (html) => withoutMetaPolicy(html) };

// One build for the three parts of the desktop app; the browser host serves out/renderer as is.
export default defineConfig({
  main: {
    // Dependencies stay in node_modules (native modules cannot be bundled).
    plugins: [ptyHostFile],
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
