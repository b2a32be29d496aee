/**
 * A tool's own home for one process, made of the user's: every entry of the user's folder linked
 * (not copied: the tool keeps its history there, and the user's edits stay theirs), except the
 * files Photon writes for that process alone. The user's folder itself is never changed.
 */
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export function linkUserFiles(from: string, to: string, except: readonly string[]): void {
  // Linking needs a privilege on Windows; there the process runs with Photon's files alone.
  if (process.platform === 'win32') return;
  let names: string[];
  try {
    names = readdirSync(from);
  } catch {
    return;
  }
  for (const name of names) {
    if (except.includes(name)) continue;
    try {
      symlinkSync(join(from, name), join(to, name));
    } catch {
      // One entry that cannot be linked leaves the others.
    }
  }
}
