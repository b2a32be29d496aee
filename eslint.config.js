// The folder rules of DESIGN.md, enforced so a wrong import fails CI instead of a review.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*', ...builtinModules.filter((name) => !name.startsWith('_'))], message: 'This folder must not use Node built-ins (see DESIGN.md, folders).' };
const electronModule = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const native = (name, owner) => ({ name, message: `Only electron/engine/${owner}/ may import ${name}.` });
const nativeModules = [native('better-sqlite3', 'storage'), native('node-pty', 'terminals'), native('keytar', 'secrets')];
const pattern = (group, message) => ({ group, message });
const acpSdk = pattern(['@agentclientprotocol/*'], 'Only electron/engine/sessions/ may import the ACP SDK.');

const engineInternals = pattern(
  ['**/electron/engine/*/*', '!**/electron/engine/*/index.js', '!**/electron/engine/index.js'],
  'Import the engine through its index (electron/engine/index.js) only.',
);

function restrict({ paths = [], patterns = [] }) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.native/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // CommonJS (bin/package.json): an ES module entry cost every `photon` start Node's ES module loader.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**'],
    rules: restrict({
      paths: [electronModule, ...nativeModules, { name: 'react', message: 'shared/ is framework-free.' }],
      patterns: [nodeBuiltins, pattern(['**/electron/**', '**/renderer/**', 'ws', 'react-*', '@xyflow/*', 'zustand*'], 'shared/ imports only shared/ and zod.')],
    }),
  },
  {
    files: ['electron/engine/**'],
    ignores: ['electron/engine/storage/**', 'electron/engine/terminals/**', 'electron/engine/secrets/**', 'electron/engine/sessions/**'],
    rules: restrict({
      paths: [electronModule, ...nativeModules],
      patterns: [pattern(['**/renderer/**', '**/electron/main/**', '**/electron/server/**', '**/electron/preload/**'], 'The engine is imported by hosts, never the other way round.'), acpSdk],
    }),
  },
  {
    files: ['electron/engine/sessions/**'],
    rules: restrict({ paths: [electronModule, ...nativeModules], patterns: [pattern(['**/renderer/**', '**/electron/main/**', '**/electron/server/**'], 'The engine never imports its hosts.')] }),
  },
  {
    files: ['electron/engine/storage/**'],
    rules: restrict({ paths: [electronModule, nativeModules[1], nativeModules[2]], patterns: [pattern(['**/renderer/**', '**/electron/main/**', '**/electron/server/**'], 'The engine never imports its hosts.')] }),
  },
  {
    files: ['electron/engine/terminals/**'],
    rules: restrict({ paths: [electronModule, nativeModules[0], nativeModules[2]], patterns: [pattern(['**/renderer/**', '**/electron/main/**', '**/electron/server/**'], 'The engine never imports its hosts.')] }),
  },
  {
    files: ['electron/engine/secrets/**'],
    rules: restrict({ paths: [electronModule, nativeModules[0], nativeModules[1]], patterns: [pattern(['**/renderer/**', '**/electron/main/**', '**/electron/server/**'], 'The engine never imports its hosts.')] }),
  },
  {
    files: ['electron/main/**'],
    rules: restrict({
      paths: nativeModules,
      patterns: [
        pattern(['**/renderer/**'], 'The Electron host never imports the renderer.'),
        engineInternals,
        // The wires it shares with photon serve and photon daemon come through one door.
        pattern(['**/server/**', '!**/server/desktop.js'], 'The Electron host reaches electron/server only through electron/server/desktop.js.'),
      ],
    }),
  },
  {
    files: ['electron/preload/**'],
    rules: restrict({ paths: nativeModules, patterns: [nodeBuiltins, pattern(['**/electron/engine/**', '**/renderer/**', '**/electron/main/**'], 'The preload holds only the bridge.')] }),
  },
  {
    files: ['electron/server/**'],
    rules: restrict({ paths: [electronModule, ...nativeModules], patterns: [pattern(['**/renderer/**'], 'The server serves the built renderer; it never imports it.'), engineInternals] }),
  },
  {
    files: ['renderer/**'],
    rules: restrict({ paths: [electronModule, ...nativeModules, { name: 'ws', message: 'The renderer uses the browser WebSocket.' }], patterns: [nodeBuiltins, pattern(['**/electron/**'], 'The renderer knows only the contract in shared/.')] }),
  },
);
