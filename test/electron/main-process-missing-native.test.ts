/**
 * The main process started without better-sqlite3 built for Electron (`electron .` run by hand,
 * skipping `npm start`): it says what to run instead and exits, rather than failing obscurely.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

const root = mkdtempSync(join(tmpdir(), 'photon-main-nonative-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the Electron main process without its SQLite build', () => {
  it('shows an error naming `npm start` and exits 1', async () => {
    Object.defineProperty(process.versions, 'electron', { value: '45.4.1', configurable: true, enumerable: true });
    fake.app.appPath = join(root, 'app');
    process.env.PHOTON_DATA_DIR = join(root, 'data');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await import('../../electron/main/index.js');
    for (let i = 0; i < 200 && fake.app.exitCode === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    error.mockRestore();
    expect(fake.app.exitCode).toBe(1);
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]!.title).toBe('Photon could not start');
    expect(fake.errorBoxes[0]!.content).toContain('SQLite has not been built for Electron 45.4.1');
    expect(fake.errorBoxes[0]!.content).toContain('npm start');
  });
});
