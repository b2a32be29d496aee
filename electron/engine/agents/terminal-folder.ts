/**
 * A terminal's own folder, for the files its tool needs while it runs (Gemini's home selecting the
 * API key for a custom endpoint, as each step's attempt folder holds it; an interactive Codex's
 * stored key), under DATA_DIR/terminals.
 * It goes when the terminal's process ends; one left by an engine that died goes when a later
 * engine opens a terminal. Its name starts with the engine's pid, which tells the two apart.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AiToolAdapter } from '../tools/index.js';

export function terminalsFolder(dataDir: string): string {
  return join(dataDir, 'terminals');
}

/**
 * Variables the tool's terminal gets from what its adapter prepares in a folder of its own, and a
 * function that removes the folder; nothing is made for a tool that needs no folder.
 */
export function prepareTerminalFolder(
  dataDir: string,
  adapter: AiToolAdapter,
  env: Readonly<Record<string, string>>,
  agentEnv: Readonly<Record<string, string>>,
): { env: Record<string, string>; remove: () => Promise<void> } {
  if (!adapter.prepareFolder) return { env: {}, remove: async () => undefined };
  removeOrphanedFolders(dataDir);
  const folder = join(terminalsFolder(dataDir), `${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const added = adapter.prepareFolder(env, folder, { for: 'terminal', agentEnv });
  return { env: added, remove: () => removeFolder(folder) };
}

/**
 * A folder of the caller's own (an agent session's) under DATA_DIR/terminals, made only if `path`
 * is asked for; `remove` deletes it when it was made. Left behind by a dying engine, it goes as a
 * terminal's does.
 */
export function ownFolderOnDemand(dataDir: string): { path: () => string; remove: () => Promise<void> } {
  let made: string | undefined;
  return {
    path: () => {
      if (made) return made;
      removeOrphanedFolders(dataDir);
      made = join(terminalsFolder(dataDir), `${process.pid}-${randomUUID().slice(0, 8)}`);
      mkdirSync(made, { recursive: true, mode: 0o700 });
      return made;
    },
    remove: async () => {
      if (made) await removeFolder(made);
    },
  };
}

/** Folders of engines that are no longer running (their pid is gone). */
function removeOrphanedFolders(dataDir: string): void {
  let names: string[];
  try {
    names = readdirSync(terminalsFolder(dataDir));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !running(pid)) void removeFolder(join(terminalsFolder(dataDir), name));
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeFolder(folder: string): Promise<void> {
  try {
    // Links in it (the user's Gemini files) are removed, never followed.
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    console.error(`photon: cannot remove ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
