/**
 * Each attempt's own temporary folder, in the run's data beside its steps' folders: the process's
 * TMPDIR (TMP and TEMP on Windows), so what a tool leaves there (Gemini CLI writes crash reports to
 * $TMPDIR) stays in Photon's data and goes when the attempt ends; the tool's own per-attempt files
 * (Gemini's settings for a custom endpoint) live there too.
 */
import { mkdir as makeFolder, mkdirSync, rmdir as removeEmpty } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AiToolAdapter } from '../tools/index.js';
import { keepIfEmpty, takeSpare } from './spare-folders.js';

/**
 * Directly in the run's folder, not in the step's (where the attempt's log goes): a step that prints
 * nothing then never gets a folder of its own, and its attempt costs one new directory, not two
 * (each a new inode and block for the disk's journal: 1,000 steps of `true` spent 0.2 ms of CPU a
 * step more with the step's folder, bench/dag.bench.ts).
 */
export function attemptFolder(dataDir: string, runId: string, step: number, attempt: number): string {
  return join(dataDir, 'runs', runId, `step-${step}.attempt-${attempt}.tmp`);
}

/** attemptFolder's names. */
const attemptFolderName = /^step-\d+\.attempt-\d+\.tmp$/;

/**
 * Every attempt folder in the run's folder: after a crash none of them is in use, whoever left it
 * (a running attempt, a folder made ahead, a spare kept for a later attempt: spare-folders.ts).
 */
export async function attemptFoldersIn(dataDir: string, runId: string): Promise<string[]> {
  const runFolder = join(dataDir, 'runs', runId);
  try {
    return (await readdir(runFolder)).filter((name) => attemptFolderName.test(name)).map((name) => join(runFolder, name));
  } catch {
    return []; // No folder: nothing was left.
  }
}

/**
 * Where engines before 6f7c602 made the attempt's folder (inside the step's folder, a second new
 * folder per step): a run such an engine left running still has it there when recovered.
 */
export function earlierAttemptFolder(dataDir: string, runId: string, step: number, attempt: number): string {
  return join(dataDir, 'runs', runId, `step-${step}`, `attempt-${attempt}.tmp`);
}

/**
 * Makes the attempt's folder and returns the variables its process gets: the temp-folder ones,
 * and whatever the tool's adapter prepares there from the process's final environment.
 */
export function prepareAttemptFolder(folder: string, env: Readonly<Record<string, string>>, adapter: AiToolAdapter | undefined): Record<string, string> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folderVariables(folder, env, adapter);
}

/** Folders being made ahead of their attempt (startAttemptFolder), by path. */
const inTheMaking = new Map<string, Promise<void>>();
/** Those of them already made. */
const made = new Set<string>();

/**
 * Starts making the attempt's folder on the thread pool, for an attempt whose engine puts files in
 * it before the process starts (an AI tool's own, the sandbox's private home): it is made while the
 * rest is prepared. A step's two new folders cost the engine's main thread 0.5 to 1.5 ms when the
 * disk is busy (bench/dag.bench.ts). Any other attempt's folder is made by the terminal host just
 * before the process starts (`madeByTerminal`): waiting for the pool would add a hand-over to the
 * way from one step's end to the next one's start (0.4 ms a link of a chain, bench).
 */
export function startAttemptFolder(folder: string): void {
  if (inTheMaking.has(folder)) return;
  // An ended attempt's empty folder, renamed: nothing to wait for.
  if (takeSpare(folder)) {
    inTheMaking.set(folder, Promise.resolve());
    made.add(folder);
    return;
  }
  // Through the callback API, as removeAttemptFolder: the promise API's own request costs more than the call, once a step.
  const making = new Promise<void>((resolve, reject) => makeFolder(folder, { recursive: true, mode: 0o700 }, (error) => (error ? reject(error) : resolve()))).then(
    () => void (inTheMaking.get(folder) === making && made.add(folder)),
  );
  // A failure is reported to the preparation that waits for it.
  making.catch(() => undefined);
  inTheMaking.set(folder, making);
}

/** Whether the folder started by startAttemptFolder is there now: its process needs nobody to make it. */
export function madeAhead(folder: string): boolean {
  return made.has(folder);
}

/** Whether the folder was started by startAttemptFolder and not removed since (its attempt never ended). */
export function startedAhead(folder: string): boolean {
  return inTheMaking.has(folder);
}

/** prepareAttemptFolder for a folder started by startAttemptFolder (or made here, off the main thread, if it was not). */
export async function prepareAttemptFolderOffThread(folder: string, env: Readonly<Record<string, string>>, adapter: AiToolAdapter | undefined): Promise<Record<string, string>> {
  await (inTheMaking.get(folder) ?? mkdir(folder, { recursive: true, mode: 0o700 }));
  return folderVariables(folder, env, adapter);
}

/**
 * Whether the folder of an attempt about to start was made here from an ended attempt's spare
 * (spare-folders.ts): otherwise the terminal host makes it. Not one being made ahead: that one is
 * the host's to make, or to find made, as before.
 */
export function madeFromSpare(folder: string): boolean {
  return !inTheMaking.has(folder) && takeSpare(folder);
}

/** The variables of an attempt whose folder the terminal host makes as it starts the process (its `folders`). */
export function madeByTerminal(folder: string): Record<string, string> {
  return temporaryVariables(folder);
}

function temporaryVariables(folder: string): Record<string, string> {
  return { TMPDIR: folder, TMP: folder, TEMP: folder };
}

function folderVariables(folder: string, env: Readonly<Record<string, string>>, adapter: AiToolAdapter | undefined): Record<string, string> {
  const temp = temporaryVariables(folder);
  return { ...temp, ...adapter?.prepareFolder?.({ ...env, ...temp }, folder, { for: 'step' }) };
}

/**
 * The attempt has ended: its folder, left empty, is kept for a later attempt of its run
 * (spare-folders.ts); otherwise it is removed as removeAttemptFolder does. Resolves once it is
 * kept or gone.
 */
export function retireAttemptFolder(folder: string): Promise<void> {
  const making = inTheMaking.get(folder);
  if (making) {
    inTheMaking.delete(folder);
    // Made: kept or removed now, in this turn, so the folder the next step asks for ahead can be it.
    if (!made.delete(folder)) return making.catch(() => undefined).then(() => retireAttemptFolder(folder));
  }
  return keepIfEmpty(folder) ? Promise.resolve() : removeAttemptFolder(folder);
}

/**
 * Removes the attempt's folder with all the process left in it; a folder that cannot be removed is
 * reported, not fatal. Resolves once it is gone.
 */
export function removeAttemptFolder(folder: string): Promise<void> {
  // An attempt that ended before its folder was made (cancelled at once): removed once it is.
  const making = inTheMaking.get(folder);
  if (making) {
    inTheMaking.delete(folder);
    made.delete(folder);
    return making.catch(() => undefined).then(() => removeAttemptFolder(folder));
  }
  return new Promise((resolve) => {
    // Most attempts leave their folder empty: one rmdir, off the main thread, through the callback
    // API: the promise API's own promises and request cost more than the call (2,000 empty folders
    // on this loaded machine: 56 to 130 us of the process's CPU each through fs/promises, 25 to 58
    // through the callback). A recursive rm costs several calls, some of them on the engine's main
    // thread (2.5 ms a link of a chain of `true` steps, on a loaded machine).
    removeEmpty(folder, (error) => {
      if (!error || error.code === 'ENOENT') return resolve();
      // Not empty (or not a folder): what the process left is removed. Links in it (the user's
      // Gemini files) are removed, never followed.
      rm(folder, { recursive: true, force: true, maxRetries: 3 })
        .catch((failure: unknown) => console.error(`photon: cannot remove ${folder}: ${failure instanceof Error ? failure.message : String(failure)}`))
        .then(() => resolve());
    });
  });
}
