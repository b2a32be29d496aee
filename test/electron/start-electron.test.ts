/**
 * `npm start` where Electron's binary cannot be downloaded (as here): it must say so plainly,
 * name `npm run web`, and exit non-zero, quickly and without touching anything else.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedVersion } from '../../scripts/ensure-native.js';
import { downloadBlockedMessage, electronEnv, electronExecutable } from '../../scripts/start-electron.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const installed = electronExecutable(repoRoot) !== undefined;

describe('scripts/start-electron.js', () => {
  it.skipIf(installed)('when the Electron download is blocked: says so, names `npm run web`, exits 1 (skipped where the binary is installed)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'photon-electron-cache-'));
    try {
      const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'start-electron.js')], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        // A closed local port stands for a blocked download, whatever this machine's network allows.
        env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache, ELECTRON_OVERRIDE_DIST_PATH: '' },
      });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe(1);
      // The version installed (package.json's electron, 45.x), named so the user knows what was fetched.
      expect(installedVersion(repoRoot, 'electron')).toMatch(/^45\./);
      expect(result.stderr).toContain(`the Electron ${installedVersion(repoRoot, 'electron')} binary could not be downloaded`);
      expect(result.stderr).toContain('npm run web');
      // Nothing was built or launched after the failure.
      expect(result.stderr).not.toMatch(/better-sqlite3|vite v/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('finds the executable only when path.txt names a file that exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'photon-electron-pkg-'));
    try {
      const dir = join(root, 'node_modules', 'electron');
      mkdirSync(join(dir, 'dist'), { recursive: true });
      expect(electronExecutable(root, {})).toBeUndefined();
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(electronExecutable(root, {})).toBeUndefined();
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(electronExecutable(root, {})).toBe(join(dir, 'dist', 'electron'));
      expect(electronExecutable(root, { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'elsewhere') })).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the message tells what happened and what to do instead', () => {
    const message = downloadBlockedMessage('45.4.1', 'TypeError: fetch failed');
    expect(message).toMatch(/could not be downloaded/);
    expect(message).toMatch(/fetch failed/);
    expect(message).toMatch(/^ {4}npm run web$/m);
  });

  it('never starts Electron as plain Node', () => {
    expect(electronEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });
});
