/**
 * Run history is for the user alone: in a data folder someone made 0755 (by hand, or an older
 * Photon), the database with its -wal and -shm, the attempt logs and their folders are created
 * 0600 and 0700, and an older Photon's readable ones are narrowed when the engine opens.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, shellStep, startEngine, workflowOf } from '../helpers.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every file and folder under `folder`, with its mode, as `path: 0600`. */
function modesUnder(folder: string): Record<string, string> {
  const modes: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    modes[entry] = `0${modeOf(join(folder, entry)).toString(8)}`;
  }
  return modes;
}

describe.skipIf(process.platform === 'win32')('files of run history', () => {
  let root = '';
  afterEach(() => removeDir(root));

  it('are created for the user alone in a data folder that is open to others (0755)', async () => {
    root = makeTempDir('private');
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const engine = await startEngine(dataDir);
    try {
      const { runId } = await engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'echo private output')]), baseDir: root });
      expect(await engine.waitForRun(runId)).toBe('succeeded');
      // While the engine holds the database open: the -wal and -shm beside it exist now.
      const modes = modesUnder(dataDir);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['photon.db', 'photon.db-wal', 'photon.db-shm', 'runs', `runs/${runId}`, `runs/${runId}/step-1/attempt-1.log`]));
      for (const [path, mode] of Object.entries(modes)) {
        const isFolder = statSync(join(dataDir, path)).isDirectory();
        expect(mode, path).toBe(isFolder ? '0700' : '0600');
      }
    } finally {
      await engine.close();
    }
    // The folder the user chose keeps its mode.
    expect(modeOf(dataDir)).toBe(0o755);
  });

  it('are narrowed when an older Photon left them readable', async () => {
    root = makeTempDir('private-old');
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'runs', 'old-run', 'step-1'), { recursive: true, mode: 0o755 });
    chmodSync(join(dataDir, 'runs'), 0o755);
    for (const file of ['photon.db-wal', 'photon.db-shm']) writeFileSync(join(dataDir, file), '', { mode: 0o644 });
    writeFileSync(join(dataDir, 'photon.db'), '', { mode: 0o644 });
    const engine = await startEngine(dataDir);
    await engine.close();
    expect(modeOf(join(dataDir, 'runs'))).toBe(0o700);
    for (const file of ['photon.db', 'photon.db-wal', 'photon.db-shm']) {
      if (readdirSync(dataDir).includes(file)) expect(modeOf(join(dataDir, file)), file).toBe(0o600);
    }
  });

  it('start in a new data folder made for the user alone', async () => {
    root = makeTempDir('private-new');
    const dataDir = join(root, 'nested', 'data');
    const engine = await startEngine(dataDir);
    await engine.close();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'photon.db'))).toBe(0o600);
  });
});
