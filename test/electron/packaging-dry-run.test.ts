/**
 * A packaging dry run: electron-builder with this project's electron-builder.yml packs a Linux
 * app folder (`--dir`) around a stand-in Electron distribution (the real one cannot be downloaded
 * here), then the test reads the app.asar it wrote: what is packed, what is left out, and that
 * native code is unpacked. The afterPack hook (it builds better-sqlite3 for Electron) and the
 * fuses (they need the real binary) are the two parts left out of the run.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
let project = '';
let entries = new Map<string, { unpacked: boolean }>();
let resourcesDir = '';

interface AsarNode {
  files?: Record<string, AsarNode>;
  unpacked?: boolean;
}

/** The file list of an asar archive, read from its header (a length-prefixed JSON index). */
function asarEntries(file: string): Map<string, { unpacked: boolean }> {
  const buffer = readFileSync(file);
  const headerSize = buffer.readUInt32LE(4);
  const header = buffer.subarray(8, 8 + headerSize);
  const json = JSON.parse(header.subarray(8, 8 + header.readUInt32LE(4)).toString('utf8')) as AsarNode;
  const result = new Map<string, { unpacked: boolean }>();
  const walk = (node: AsarNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, path);
      else result.set(path, { unpacked: child.unpacked === true });
    }
  };
  walk(json, '');
  return result;
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'photon-pack-'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(repoRoot, file), join(project, file));
  cpSync(join(repoRoot, 'resources'), join(project, 'resources'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  // The build output's layout (its contents are another test's concern).
  for (const [file, text] of [
    ['out/main/index.js', 'export {};\n'],
    ['out/preload/index.cjs', '"use strict";\n'],
    ['out/renderer/index.html', '<!doctype html><title>Photon</title>\n'],
  ] as const) {
    mkdirSync(join(project, file, '..'), { recursive: true });
    writeFileSync(join(project, file), text);
  }
  // Files that must not be packed, as a checkout has them.
  for (const file of ['electron/main/index.ts', 'renderer/main.tsx', 'test/x.test.ts', '.native/electron-1-linux-x64/better_sqlite3.node', 'tsconfig.json']) {
    mkdirSync(join(project, file, '..'), { recursive: true });
    writeFileSync(join(project, file), 'x');
  }
  const electronDist = join(project, 'fake-electron');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);

  const yml = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
  const trial = yml
    .replace(/^afterPack:.*$/m, '')
    .replace(/^electronFuses:\n(?:[ #].*\n)+/m, '')
    .concat(`\nelectronDist: ${JSON.stringify(electronDist)}\n`);
  expect(trial).not.toMatch(/afterPack:|electronFuses:/);
  writeFileSync(join(project, 'trial.yml'), trial);

  const { build, Platform } = await import('electron-builder');
  await build({ projectDir: project, config: join(project, 'trial.yml'), targets: Platform.LINUX.createTarget('dir'), publish: 'never' });
  resourcesDir = join(project, 'dist', 'linux-unpacked', 'resources');
  entries = asarEntries(join(resourcesDir, 'app.asar'));
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packaged app (Linux --dir dry run)', () => {
  it('holds the build, package.json and the icons the app loads', () => {
    for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json', 'resources/tray/tray-linux.png', 'resources/tray/trayTemplate.png', 'resources/icons/icon-512.png']) {
      expect(entries.has(file), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { main: string };
    expect(entries.has(pkg.main)).toBe(true);
  });

  it('holds the production modules the main process loads', () => {
    for (const file of ['node_modules/better-sqlite3/lib/index.js', 'node_modules/node-pty/lib/index.js', 'node_modules/zod/package.json', 'node_modules/keytar/package.json', 'node_modules/ws/package.json']) {
      expect(entries.has(file), file).toBe(true);
    }
  });

  it('leaves out sources, tests, dev tools and the Node build of better-sqlite3', () => {
    const paths = [...entries.keys()];
    for (const prefix of ['electron/', 'renderer/', 'test/', 'scripts/', '.native/', 'tsconfig.json', 'trial.yml', 'fake-electron/', 'node_modules/electron/', 'node_modules/vitest/', 'node_modules/electron-builder/', 'node_modules/tsx/', 'node_modules/better-sqlite3/build/', 'node_modules/better-sqlite3/deps/']) {
      expect(paths.filter((path) => path.startsWith(prefix)), prefix).toEqual([]);
    }
  });

  it('unpacks every native module from the asar', () => {
    const native = [...entries].filter(([path]) => path.endsWith('.node'));
    expect(native.map(([path]) => path)).toEqual(expect.arrayContaining(['node_modules/node-pty/build/Release/pty.node', 'node_modules/keytar/build/Release/keytar.node']));
    for (const [path, entry] of native) {
      expect(entry.unpacked, path).toBe(true);
      expect(existsSync(join(resourcesDir, 'app.asar.unpacked', path)), path).toBe(true);
    }
    for (const helper of ['node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper', 'node_modules/node-pty/prebuilds/darwin-x64/spawn-helper']) {
      if (entries.has(helper)) expect(entries.get(helper)!.unpacked, helper).toBe(true);
    }
  });
});
