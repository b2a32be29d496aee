/**
 * Whether bubblewrap can run here: CI installs it and sets PHOTON_REQUIRE_SANDBOX=1, so there a
 * missing bwrap fails the sandbox tests instead of skipping them.
 */
import { spawnSync } from 'node:child_process';

function bwrapRuns(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-net', '--unshare-pid', '--proc', '/proc', '--dev', '/dev', 'true']);
  return probe.status === 0;
}

export const bwrapAvailable = bwrapRuns();

if (!bwrapAvailable && process.env.PHOTON_REQUIRE_SANDBOX === '1') {
  throw new Error('PHOTON_REQUIRE_SANDBOX=1 but bubblewrap cannot run here: apt install bubblewrap (and allow user namespaces)');
}
