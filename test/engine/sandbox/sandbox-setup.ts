/**
 * Shared pieces of the sandbox tests: whether bubblewrap can run here (CI installs it and sets
 * PHOTON_REQUIRE_SANDBOX=1, so there a missing bwrap fails instead of skipping), and a folder
 * outside the temp folders, which the sandbox shows read-only: a stand-in for the user's other
 * repositories.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

function bwrapRuns(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-net', '--unshare-pid', '--proc', '/proc', '--dev', '/dev', 'true']);
  return probe.status === 0;
}

export const bwrapAvailable = bwrapRuns();

if (!bwrapAvailable && process.env.PHOTON_REQUIRE_SANDBOX === '1') {
  throw new Error('PHOTON_REQUIRE_SANDBOX=1 but bubblewrap cannot run here: apt install bubblewrap (and allow user namespaces)');
}

/** A new folder under the repository's node_modules/.cache: outside /tmp, so the sandbox shows it read-only. */
export function folderOutsideTemp(label: string): string {
  const parent = join(repoRoot, 'node_modules', '.cache', 'photon-sandbox-tests');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${label}-`));
}
