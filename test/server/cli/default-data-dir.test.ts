/**
 * The data folder the CLI uses when it is not told one: the desktop app's (Electron's userData for
 * an app named Photon), so a run started from the command line shows in the app and the other way
 * round. The real CLI runs with a home folder of the test's own, never the user's.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../electron/engine/index.js';
import { databaseFileName } from '../../../electron/engine/storage/index.js';
import { photon, repoRoot, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

/** Electron's userData: its appData folder for the platform, then the app's productName. */
function electronUserData(platform: NodeJS.Platform, home: string, env: NodeJS.ProcessEnv): string {
  const productName = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { productName: string }).productName;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', productName);
  if (platform === 'win32') return join(env.APPDATA!, productName);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), productName);
}

describe('the default data folder', () => {
  it("is the folder Electron gives the desktop app as userData, on every platform", () => {
    const home = process.env.HOME!;
    for (const [platform, env] of [
      ['linux', {}],
      ['linux', { XDG_CONFIG_HOME: '/x/config' }],
      ['darwin', {}],
      ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }],
    ] as const) {
      expect(defaultDataDir(env, platform)).toBe(electronUserData(platform, home, env));
    }
  });

  it('holds the history of a run the CLI started without --data-dir or PHOTON_DATA_DIR', async () => {
    const home = join(temp.dir, 'home');
    mkdirSync(home);
    const env = { HOME: home, XDG_CONFIG_HOME: '' };
    const file = writeWorkflow(temp.dir, 'Shared history', [{ step: 1, command: 'echo shared' }]);
    // From another folder than the workflow's: the data folder does not follow the working folder.
    const run = await photon(['run', file, '--json'], { cwd: temp.dir, env });
    expect(run.code, run.stderr).toBe(0);
    const { runId } = JSON.parse(run.stdout) as { runId: string };

    const appFolder = join(home, '.config', 'Photon');
    expect(existsSync(join(appFolder, databaseFileName))).toBe(true);
    // Read back as the app would open it: at that folder, named explicitly.
    const listed = await photon(['runs', '--json', '--data-dir', appFolder]);
    expect((JSON.parse(listed.stdout) as { runId: string }[]).map((r) => r.runId)).toEqual([runId]);

    // XDG_CONFIG_HOME moves it, as it moves Electron's userData.
    const config = join(temp.dir, 'xdg');
    const moved = await photon(['run', file, '--json'], { cwd: temp.dir, env: { HOME: home, XDG_CONFIG_HOME: config } });
    expect(moved.code, moved.stderr).toBe(0);
    expect(existsSync(join(config, 'Photon', databaseFileName))).toBe(true);
  }, 60_000);
});
