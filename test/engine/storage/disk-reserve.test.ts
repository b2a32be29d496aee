// The reserve kept beside the database (storage/disk-reserve.ts) never stops the engine from
// opening: whatever stands in its place, it goes without and says nothing worse.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepDiskReserve } from '../../../electron/engine/storage/disk-reserve.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';

describe('the disk reserve', () => {
  let root = '';
  afterEach(() => removeDir(root));

  it('is made at its full size, and a short one is made whole again', () => {
    root = makeTempDir('disk-reserve');
    const database = join(root, 'photon.db');
    expect(keepDiskReserve(database)).toBe(true);
    const full = statSync(`${database}-reserve`).size;
    expect(full).toBeGreaterThan(0);
    writeFileSync(`${database}-reserve`, 'cut short');
    expect(keepDiskReserve(database)).toBe(true);
    expect(statSync(`${database}-reserve`).size).toBe(full);
  });

  it('is gone without when something that cannot be replaced stands in its place, and the engine still opens', async () => {
    root = makeTempDir('disk-reserve-blocked');
    const dataDir = join(root, 'data');
    // A folder with a file in it: neither written over nor removed by a plain rm, as a read-only disk would refuse both.
    mkdirSync(join(dataDir, 'photon.db-reserve'), { recursive: true });
    writeFileSync(join(dataDir, 'photon.db-reserve', 'kept'), 'not ours');
    expect(keepDiskReserve(join(dataDir, 'photon.db'))).toBe(false);
    const engine = await startEngine(dataDir);
    try {
      expect(await engine.call('runs.list', {})).toEqual([]);
    } finally {
      await engine.close();
    }
    expect(statSync(join(dataDir, 'photon.db-reserve', 'kept')).isFile()).toBe(true);
  });
});
