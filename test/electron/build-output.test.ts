/**
 * The Electron parts as electron-vite builds them with the project's config: the preload must run
 * in a sandboxed renderer, where `require` knows only 'electron' and there is no Node, so it has
 * to be one CommonJS file with everything else bundled in; the main process may leave only
 * electron, Node built-ins and production dependencies to load at run time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PhotonBridge } from '../../shared/bridge.js';
import { bridgeGlobalName, ipcChannels } from '../../shared/bridge.js';

const repoRoot = join(import.meta.dirname, '..', '..');
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'photon-build-'));
  const { build } = await import('electron-vite');
  await build({ root: repoRoot, configFile: join(import.meta.dirname, 'fixtures', 'main-and-preload.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the preload bundle', () => {
  function loadSandboxed() {
    const code = readFileSync(join(outDir, 'preload', 'index.cjs'), 'utf8');
    const exposed = new Map<string, unknown>();
    const ipcRenderer = {
      invoke: vi.fn(async (_channel: string, request: { id: number }) => ({ id: request.id, ok: true, value: 'from main' })),
      on: vi.fn(),
      removeListener: vi.fn(),
    };
    const requested: string[] = [];
    const sandboxRequire = (name: string) => {
      requested.push(name);
      if (name === 'electron') return { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    // Only what a sandboxed preload has: no process, no Buffer, no Node built-ins.
    const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, console });
    vm.runInContext(code, context, { filename: 'index.cjs' });
    return { exposed, ipcRenderer, requested };
  }

  it('is CommonJS that requires only electron', () => {
    const { requested } = loadSandboxed();
    expect(requested).toEqual(['electron']);
  });

  it('exposes window.photon with invoke and on, and nothing else', async () => {
    const { exposed, ipcRenderer } = loadSandboxed();
    expect([...exposed.keys()]).toEqual([bridgeGlobalName]);
    const bridge = exposed.get(bridgeGlobalName) as PhotonBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    await expect(bridge.invoke({ id: 1, method: 'system.info' })).resolves.toEqual({ id: 1, ok: true, value: 'from main' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannels.invoke, { id: 1, method: 'system.info' });
    await expect(bridge.invoke({ id: 2, method: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('the main bundle', () => {
  it('is an ES module that leaves only electron, Node and production dependencies to run time', () => {
    const code = readFileSync(join(outDir, 'main', 'index.js'), 'utf8');
    const specifiers = [...code.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]!);
    expect(specifiers).toContain('electron');
    const dependencies = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).dependencies as Record<string, string>);
    const allowed = (name: string) =>
      name === 'electron' || name.startsWith('node:') || builtinModules.includes(name) || dependencies.some((dep) => name === dep || name.startsWith(`${dep}/`));
    expect(specifiers.filter((name) => !allowed(name))).toEqual([]);
    expect(code).not.toMatch(/\brequire\(["']electron["']\)/);
  });

  it('finds the preload and the renderer where the build puts them', () => {
    const code = readFileSync(join(outDir, 'main', 'index.js'), 'utf8');
    expect(code).toMatch(/"preload",\s*"index\.cjs"/);
    // The renderer folder is what app://photon/ serves (out/main/../renderer).
    expect(code).toMatch(/"\.\.",\s*"renderer"\)/);
  });
});
