/** The committed icons: the sizes each platform asks for, the containers well formed. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { icns, ico, trayIconSvg } from '../../scripts/make-icons.js';

const resources = join(import.meta.dirname, '..', '..', 'resources');

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('resources/', () => {
  it('has the app icon at 512 and 1024 px, and the Linux icon set', () => {
    expect(pngSize(join(resources, 'icons', 'icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(join(resources, 'icons', 'icon-512.png'))).toEqual({ width: 512, height: 512 });
    const linux = readdirSync(join(resources, 'icons', 'linux')).sort();
    expect(linux).toEqual(['128x128.png', '16x16.png', '256x256.png', '32x32.png', '48x48.png', '512x512.png', '64x64.png']);
    for (const name of linux) {
      const size = Number(name.split('x')[0]);
      expect(pngSize(join(resources, 'icons', 'linux', name))).toEqual({ width: size, height: size });
    }
  });

  it('has tray icons at 1x and 2x: templates for macOS, colored for the others', () => {
    for (const [name, size] of [['trayTemplate.png', 16], ['trayTemplate@2x.png', 32], ['tray.png', 16], ['tray@2x.png', 32], ['tray-linux.png', 32]] as const) {
      expect(pngSize(join(resources, 'tray', name)), name).toEqual({ width: size, height: size });
    }
    // A macOS template image is black and alpha only; the menu bar tints it.
    const colors = (svg: string) => new Set(svg.match(/#[0-9a-f]{6}/gi));
    expect([...colors(trayIconSvg(16, true))].filter((c) => !['#000000', '#ffffff'].includes(c.toLowerCase()))).toEqual([]);
    expect([...colors(trayIconSvg(16, false))].some((c) => c !== '#000000' && c !== '#fff')).toBe(true);
  });

  it('has a well-formed .icns holding 16 to 1024 px images', () => {
    const file = readFileSync(join(resources, 'icons', 'icon.icns'));
    expect(file.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(file.readUInt32BE(4)).toBe(file.length);
    const types: string[] = [];
    for (let offset = 8; offset < file.length; offset += file.readUInt32BE(offset + 4)) types.push(file.subarray(offset, offset + 4).toString('ascii'));
    expect(types).toEqual(expect.arrayContaining(['icp4', 'icp5', 'ic07', 'ic08', 'ic09', 'ic10']));
  });

  it('has a well-formed .ico holding 16 to 256 px images', () => {
    const file = readFileSync(join(resources, 'icons', 'icon.ico'));
    expect(file.readUInt16LE(0)).toBe(0);
    expect(file.readUInt16LE(2)).toBe(1);
    const count = file.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => file.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (let i = 0; i < count; i++) {
      const length = file.readUInt32LE(6 + 16 * i + 8);
      const offset = file.readUInt32LE(6 + 16 * i + 12);
      expect(offset + length).toBeLessThanOrEqual(file.length);
      expect(file.subarray(offset + 1, offset + 4).toString('ascii')).toBe('PNG');
    }
  });

  it('the container writers refuse a missing size', () => {
    expect(() => icns(new Map())).toThrow(/no 16 px/);
    expect(() => ico(new Map(), [16])).toThrow(/no 16 px/);
  });
});
