// Runs the command line's build (out/cli/main.cjs, or light.cjs for help; made by scripts/build-cli.js) with V8's code
// cache: the bytecode of what a command compiled, kept beside the build, so the next start does not
// parse and compile that JavaScript again (about a third of a one-step `photon run`'s CPU went to
// compiling it). Node 20 has no cache for ES modules (module.enableCompileCache is Node 22), hence
// one CommonJS bundle compiled here as v8-compile-cache does.
//
// A cache is only ever used with the build it was made from: it lives in the build's folder, which
// every build replaces whole, and it names the size and modification time of the bundle it was
// made from; V8 itself refuses one made by another Node, V8 or set of flags. What it refuses is made
// again at the end of that command. Nothing here is required for the command to work: a cache that
// cannot be read or written (a read-only install) only costs the compile.
'use strict';
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

/**
 * V8 checks a cache's header (its version, flags, the source's length) but not, in a release build,
 * its contents: a cache damaged past its header (a disk error, a copy cut short and padded) crashed
 * every start of its kind (SIGTRAP or SIGSEGV in the deserializer: 35 of 35 soak runs with a few
 * bytes of the payload flipped). Under --verify-snapshot-checksum V8 writes a checksum into a cache
 * and refuses one that does not match, which is then made again (checking main.cjs's 1 MB costs
 * well under a millisecond). Only while main.cjs's cache is read or made: left on, it had Node's
 * own modules loaded later refuse their built-in caches and compile (a one-step run took 134 -> 143
 * ms of CPU, medians of 15) and each Worker check the whole startup snapshot (+25 ms).
 */
function withChecksums(work) {
  v8.setFlagsFromString('--verify-snapshot-checksum');
  try {
    return work();
  } finally {
    v8.setFlagsFromString('--no-verify-snapshot-checksum');
  }
}

/**
 * What light.cjs runs (scripts/build-cli.js): the commands that only print (help, the version, or
 * the usage when there is no command), for which main() imports nothing dynamically.
 */
const lightCommands = [undefined, '--help', '-h', 'help', '--version', '-v'];

/**
 * A cache holds what the command that made it compiled, so commands keep theirs by kind: light.cjs's
 * (help), `validate`'s (which loads little: it would read no engine bytecode), runs' (whose cache a
 * `photon runs` made first would lack the executor, the terminals...), and the rest's.
 */
function cacheKind(command) {
  if (lightCommands.includes(command)) return 'help';
  if (command === 'validate') return 'validate';
  return command === 'run' || command === 'resume' ? 'run' : 'other';
}

/**
 * light.cjs for the light commands; main.cjs otherwise, and for them too in a build that has no
 * light.cjs (then the 'help' cache is main.cjs's, under main.cjs's size in its name).
 */
function bundleFor(dir, kind) {
  const light = join(dir, 'light.cjs');
  return kind === 'help' && existsSync(light) ? light : join(dir, 'main.cjs');
}

/**
 * V8 flags for the engine of a `photon run` or `resume`, from `PHOTON_RUN_V8_FLAGS` (none by
 * default), set in this process only: not in the pty host, a process of its own, nor in the app.
 * Set before main.cjs is compiled, so the runs' cache is made and checked under them (V8 refuses a
 * cache made under other flags, and it would be made again at every alternation).
 *
 * None by default: `--max-opt=1` (no TurboFan, whose compiles take about a fifth of the engine's
 * CPU in a 1,000-step DAG) cut the engine's CPU per step of the 1,000-step layered DAG by about a
 * fifth (1.107 -> 0.895, 1.159 -> 0.929, 1.060 -> 0.833 ms; a one-step run's CPU the same within
 * noise: 143 -> 147 ms, medians of 15), but
 * those compiles pay off in longer runs: 3,000 steps 0.812 -> 0.807 ms, 6,000 steps 0.793 -> 0.936
 * ms a step (wall 15.2 -> 19.0 s). Delaying TurboFan (--ticks-before-optimization=9) or making its
 * compiles smaller (--max-inlined-bytecode-size-cumulative=230, --max-optimized-bytecode-size=6000)
 * gained nothing at 1,000 steps; and TurboFan allowed again later (--max-opt=999 once a run is
 * under way) optimizes nothing more. Interleaved A/B of run-built.js variants over one build, medians
 * of 7 (3 for 6,000 steps) at load 3.4 to 9; the comparison: `npx tsx bench/engine-cpu.bench.ts
 * --builds out/cli,out/cli-b --v8-flags= --v8-flags=--max-opt=1`.
 */
function engineFlags(kind) {
  return kind === 'run' ? (process.env.PHOTON_RUN_V8_FLAGS ?? '') : '';
}

/**
 * How scripts/build-cli.js wraps each bundle: the text is the CommonJS module function itself, so
 * that V8 compiles the file's own text. Given the bare module and the wrapper around it here, V8
 * copied the 1.7 MB into one string of its heap at each start (a string read from a file that large
 * is Node's, outside the heap): 11.5-15.7 ms of CPU against 5.5-8.9 ms for compiling main.cjs from
 * its cache (six runs each, load 9). Run as a script, the text's value is that function; required
 * as a module of its own (as under --enable-source-maps), where `this` is its exports and not the
 * global object, it runs the function at once with Node's own module arguments.
 */
const bundlePrefix =
  '(function (self, bundle) { return self === globalThis ? bundle : bundle.call(exports, exports, require, module, __filename, __dirname); })(this, function (exports, require, module, __filename, __dirname) {';
const bundleSuffix = '\n});\n';

/**
 * Opens main.cjs, waiting out a build being swapped in: scripts/build-cli.js renames the old build
 * away, then the new one into its place, and a start between the two (its caller saw main.cjs)
 * would fail with ENOENT.
 */
async function openBuild(file) {
  for (let attempt = 1; ; attempt++) {
    try {
      return openSync(file, 'r');
    } catch (error) {
      if (error.code !== 'ENOENT' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * Loads `dir`/main.cjs (or light.cjs), runs its `main(argv)` and resolves with the exit code; then saves what was
 * compiled when there was no cache for it yet (or V8 refused the one there was).
 */
async function runBuilt(dir, argv) {
  const kind = cacheKind(argv[0]);
  const file = bundleFor(dir, kind);
  const flags = engineFlags(kind);
  if (flags) v8.setFlagsFromString(flags);
  // Node maps stack traces through main.cjs.map for what its own loader compiled, not for a vm.Script.
  if (process.sourceMapsEnabled) return require(file).main(argv);
  // Read and named through one descriptor: a build swapped in between a read and a stat by path
  // would name the new build's cache after code compiled from the old, and V8, which checks only
  // the source's length, would then run the old bytecode in the new build.
  const fd = await openBuild(file);
  let source, size, mtimeMs;
  try {
    ({ size, mtimeMs } = fstatSync(fd));
    // ASCII alone (scripts/build-cli.js's asciiOnly): Latin-1 decodes it as UTF-8 would, faster, into one byte a character.
    source = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  const cacheFile = join(dir, 'cache', `${kind}-${size}-${Math.trunc(mtimeMs)}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The bundle has no import() (scripts/build-cli.js makes each a require()), which Node 20 cannot give a script compiled from a cache.
  // A bundle not wrapped by the build (a stand-in's) gets the wrapper here.
  const text = source.startsWith(bundlePrefix) ? source : `${bundlePrefix}${source}${bundleSuffix}`;
  const script = withChecksums(() => new vm.Script(text, { filename: file, cachedData }));
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dir);
  const code = await module.exports.main(argv);
  // Not from a command refused for its usage (exit 2: a typo, a missing file), which compiled
  // almost nothing: its cache would be the one every later run of that kind starts from.
  if (code !== 2 && (cachedData === undefined || script.cachedDataRejected)) saveCache(cacheFile, script);
  return code;
}

/**
 * The engine sets --semi-space-growth-factor=1 once its semi-spaces reach 4 MB, `photon serve` and the
 * daemon from their start (electron/engine/young-generation.ts), after main.cjs was compiled under
 * V8's default; V8 stamps a cache with a hash of the flags that are not at their default and refuses
 * it under others, so a cache made under the engine's flag would be refused, and made again, at
 * every start. It is made under the default factor, which stays: the command is over.
 */
function defaultGrowthFactor(work) {
  v8.setFlagsFromString('--semi-space-growth-factor=2');
  return work();
}

function saveCache(cacheFile, script) {
  // Written aside and renamed: another `photon` starting now reads the old cache or the new, never half of one.
  const partial = `${cacheFile}.${process.pid}`;
  try {
    // Never the build's folder itself: gone, it is being replaced, and a folder made in its place
    // would make the build's rename of the new one fail (ENOTEMPTY).
    try {
      mkdirSync(dirname(cacheFile));
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    writeFileSync(partial, defaultGrowthFactor(() => withChecksums(() => script.createCachedData())));
    renameSync(partial, cacheFile);
  } catch {
    // A folder we cannot write (an install owned by another user): every start compiles, as before.
    // A write cut short (a full disk) or a rename refused leaves nothing behind for each start to add to.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written there.
    }
  }
}

exports.runBuilt = runBuilt;
exports.lightCommands = lightCommands;
exports.bundlePrefix = bundlePrefix;
exports.bundleSuffix = bundleSuffix;
