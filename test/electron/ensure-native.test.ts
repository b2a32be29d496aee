/**
 * scripts/ensure-native.js builds better-sqlite3 for Electron beside node_modules, never in it.
 * The build itself needs a download (a prebuilt binary or Electron's headers) that is blocked
 * here; what it tries, and that a failure leaves Node's build working, is checked.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderEnv, ensureElectronSqlite, nodeGypArgs, parseArgs, prebuildInstallArgs } from '../../scripts/ensure-native.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const target = { electronVersion: '45.4.1', platform: 'linux', arch: 'x64' };

describe('scripts/ensure-native.js', () => {
  it('asks prebuild-install for the Electron runtime, version, platform and arch', () => {
    expect(prebuildInstallArgs(target)).toEqual(['--runtime', 'electron', '--target', '45.4.1', '--platform', 'linux', '--arch', 'x64', '--verbose']);
  });

  it("builds from source against Electron's headers, in their own folder", () => {
    expect(nodeGypArgs(target, '/h/.electron-gyp')).toEqual(['rebuild', '--release', '--target=45.4.1', '--arch=x64', '--dist-url=https://electronjs.org/headers', '--devdir=/h/.electron-gyp']);
  });

  it("drops npm settings that would build for Node's headers instead", () => {
    const env = builderEnv({ PATH: '/bin', npm_config_nodedir: '/usr/include/node', NPM_CONFIG_TARGET: '20', npm_config_runtime: 'node', npm_config_cache: '/c', HOME: undefined });
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' });
  });

  it('reads its command line', () => {
    expect(parseArgs(['electron', '--arch', 'arm64', '--platform', 'darwin', '--force'])).toEqual({ arch: 'arm64', platform: 'darwin', force: true });
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
  });

  it('a failed build says what it tried and leaves node_modules alone', () => {
    const nodeBuild = join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const before = statSync(nodeBuild).mtimeMs;
    const lines: string[] = [];
    // No Electron has this version: no prebuilt binary and no headers exist for it, on any network.
    expect(() => ensureElectronSqlite({ root: repoRoot, electronVersion: '0.0.1-photon-test', quiet: true, log: (line) => lines.push(line), timeoutMs: 60_000 })).toThrow(
      /better-sqlite3 could not be built for Electron 0\.0\.1-photon-test[\s\S]*prebuilt binary \(prebuild-install\)[\s\S]*build from source/,
    );
    expect(lines[0]).toMatch(/building better-sqlite3 .* for Electron 0\.0\.1-photon-test/);
    expect(statSync(nodeBuild).mtimeMs).toBe(before);
  }, 90_000);
});
