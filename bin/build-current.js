// Whether out/cli/ is a build of the sources as they are now. One check for both who ask:
// bin/photon.js at every start (an edited, pulled or half-built checkout then runs its sources
// through tsx, so old code never runs), and scripts/build-cli.js, which records these fingerprints
// when it builds and asks before the tests and the benches whether to build again.
//
// CommonJS, as bin/photon.js is (bin/package.json): it is loaded at every start.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join, sep } = require('node:path');

/** A path, from the project's root, inside a package npm installed (bundled into the build). */
const inPackage = /(^|[\\/])node_modules[\\/]/;

/**
 * What tells a changed file: its size and modification time. A package's files come out of npm's
 * tarballs with one fixed modification time whatever their version, so theirs is the time of the
 * change of their inode, which an install of any version moves: a bundled package reinstalled
 * (`npm install zod@…`, which does not rebuild) is noticed. Which kind a file is is read from its
 * path from the project's root, so a project that itself sits inside a node_modules folder still
 * tells its own sources by their modification time.
 */
function fingerprintOf(stat, pathFromRoot) {
  return `${stat.size}:${Math.trunc(inPackage.test(pathFromRoot) ? stat.ctimeMs : stat.mtimeMs)}`;
}

/** The fingerprint of `pathFromRoot` (as the manifest names it) under `root`, as the build records it. */
function fingerprint(root, pathFromRoot) {
  return fingerprintOf(statSync(join(root, pathFromRoot)), pathFromRoot);
}

/**
 * True when `built` holds main.cjs and every source the bundle to be run was made from is as it was
 * when it was built: light.cjs's (about 60 files, the manifest's `light`) when `light` is asked for
 * and the build has one, else all of them (about 500). One stat a source at every start, so the loop
 * does little else: the manifest's paths are normalized already, and path.join() on each (interpreted
 * at this point of a start) took more CPU than the stats themselves (the check took 25 ms of CPU with
 * it, 11 without; medians of 5).
 */
function buildIsCurrent(root, built, { light = false } = {}) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(built, 'manifest.json'), 'utf8'));
    // A build from before main.cjs (ES modules) is not run, whatever its manifest says.
    statSync(join(built, 'main.cjs'));
  } catch {
    return false;
  }
  const sources = manifest.sources ?? {};
  const lightOnly = light && Array.isArray(manifest.light) && statSync(join(built, 'light.cjs'), { throwIfNoEntry: false }) !== undefined;
  const prefix = root.endsWith(sep) ? root : root + sep;
  let count = 0;
  try {
    for (const file of lightOnly ? manifest.light : Object.keys(sources)) {
      // undefined when the file is gone; another error (a folder now a file: ENOTDIR) is thrown.
      const stat = statSync(prefix + file, { throwIfNoEntry: false });
      if (stat === undefined || fingerprintOf(stat, file) !== sources[file]) return false;
      count++;
    }
  } catch {
    return false;
  }
  return count > 0;
}

module.exports = { buildIsCurrent, fingerprint };
