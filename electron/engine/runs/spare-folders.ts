/**
 * Empty temp folders of ended attempts, kept in their run's folder to become the temp folders of
 * attempts that start later (renamed, and their mode set back), instead of removing one folder and
 * making another for every step. On this machine's disk (ext4 without a journal) making a folder
 * looks past every inode freed in the last 30 seconds: a big run's own removals made each mkdir
 * slower than the one before (the steady state of a 3,000-step DAG of `true`: mkdir and rmdir 21%
 * of the engine's CPU; 2,000 folders in turn: 400 to 600 us of CPU each against 60 to 130 us
 * checked and renamed). A rename allocates nothing.
 *
 * Only a folder found empty is kept: what a process leaves is removed with its folder as before,
 * and a later attempt never sees it. Its mode is set back to 0700 when it is handed on if the
 * process changed it (as found when it was kept: most leave it alone, and a chmod of every
 * folder handed on cost each link of a chain a system call on the engine's main thread). Whatever is still spare when the run ends is removed then, and after a
 * crash by recovery (a run's folders are swept by their names, attemptFoldersIn).
 *
 * Checked and handed on synchronously on the engine's main thread: a few calls on a folder of the
 * engine's own data (where SQLite already writes synchronously), where the thread pool's request
 * and callback cost more than the calls themselves, and the folder an attempt gets must be on
 * disk before its process starts. The check is one readdir: a third of the CPU of opendir and one
 * entry read (5.5 against 15 to 19 us here); a folder holding very many files costs it more, and
 * costs its recursive removal far more, as before.
 */
import { chmodSync, lstatSync, readdirSync, renameSync, rmdir, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Spares kept per run folder; more are removed. A run at concurrency N frees about N at a time (the
 * 1,000-step DAG at concurrency 2 makes 4 folders and hands on 996).
 */
export const sparesKept = 16;

/** Ready spares by run folder, each a path on disk holding nothing, and whether its mode was still 0700. */
const spares = new Map<string, { path: string; private: boolean }[]>();
/** Run folders whose run has ended: nothing more is kept there. */
const closed = new Set<string>();

/**
 * An ended attempt's folder: kept as a spare when it is empty (true). False when it must be
 * removed: it holds what the process left, its run keeps enough spares, or it is not there.
 */
export function keepIfEmpty(folder: string): boolean {
  const runFolder = dirname(folder);
  if (closed.has(runFolder)) return false;
  const kept = spares.get(runFolder) ?? [];
  if (kept.length >= sparesKept) return false;
  const mode = emptyFolderMode(folder);
  if (mode === undefined) return false;
  kept.push({ path: folder, private: (mode & 0o7777) === 0o700 });
  spares.set(runFolder, kept);
  return true;
}

/**
 * Makes `folder` (a new attempt's) from a spare of its run folder, if there is one: renamed, mode
 * 0700. False when there is none (or it could not be handed on): the caller makes the folder.
 */
export function takeSpare(folder: string): boolean {
  const runFolder = dirname(folder);
  const kept = spares.get(runFolder);
  const spare = kept?.pop();
  if (kept?.length === 0) spares.delete(runFolder);
  if (spare === undefined) return false;
  try {
    renameSync(spare.path, folder);
  } catch {
    // Gone meanwhile, or held where a folder in use cannot be renamed (Windows): no longer kept,
    // so removed now rather than left after the run. The caller makes the folder.
    rmdir(spare.path, () => undefined);
    return false;
  }
  if (spare.private) return true;
  try {
    chmodSync(folder, 0o700);
  } catch {
    // Not private: removed before the caller makes the folder anew at the same path.
    try {
      rmdirSync(folder);
    } catch {
      // A folder of the engine's own that it can neither chmod nor remove: its file system refuses
      // everything, and the caller's making of the folder meets the same refusal.
    }
    return false;
  }
  return true;
}

/** The run has ended (its attempts' folders all handed back): its spares are removed and no more are kept. Resolves once they are gone. */
export function removeSpares(runFolder: string): Promise<void> {
  closed.add(runFolder);
  const kept = spares.get(runFolder) ?? [];
  spares.delete(runFolder);
  // A run may be resumed later in the same folder: it keeps spares again then.
  const removals = kept.map((spare) => new Promise<void>((resolve) => rmdir(spare.path, () => resolve())));
  return Promise.all(removals).then(() => void closed.delete(runFolder));
}

/** The folder's mode when it is a folder holding nothing; undefined otherwise. */
function emptyFolderMode(folder: string): number | undefined {
  try {
    // A link its process put in its place is not the engine's folder: handed on, the chmod would
    // follow it to whatever it points to, and a later attempt's TMPDIR would be that.
    const stat = lstatSync(folder);
    return stat.isDirectory() && readdirSync(folder).length === 0 ? stat.mode : undefined;
  } catch {
    return undefined;
  }
}
