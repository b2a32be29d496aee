import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareAttemptFolderOffThread, removeAttemptFolder, startAttemptFolder } from '../../../electron/engine/runs/attempt-folder.js';

/**
 * An attempt's temp folder is started as the attempt begins, on the thread pool: its preparation
 * waits for it (its process never starts before it exists) and reports why it could not be made.
 */
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folderIn(fresh: string): string {
  const root = mkdtempSync(join(tmpdir(), 'photon-early-folder-'));
  roots.push(root);
  return join(root, 'runs', 'run-1', fresh, 'attempt-1.tmp');
}

describe("an attempt's temp folder started early", () => {
  it('exists once the attempt is prepared, and its variables name it', async () => {
    const folder = folderIn('step-1');
    startAttemptFolder(folder);
    const variables = await prepareAttemptFolderOffThread(folder, {}, undefined);
    expect(existsSync(folder)).toBe(true);
    expect(variables).toMatchObject({ TMPDIR: folder, TMP: folder, TEMP: folder });
    await removeAttemptFolder(folder);
    expect(existsSync(folder)).toBe(false);
  });

  it('fails the preparation, naming the folder, when it could not be made', async () => {
    const folder = folderIn('step-1');
    // Its step's folder is a file: the folder cannot be made under it.
    mkdirSync(dirname(dirname(folder)), { recursive: true });
    writeFileSync(dirname(folder), '');
    startAttemptFolder(folder);
    await expect(prepareAttemptFolderOffThread(folder, {}, undefined)).rejects.toThrow(folder.replace(/\.tmp$/, ''));
    await removeAttemptFolder(folder);
  });
});
