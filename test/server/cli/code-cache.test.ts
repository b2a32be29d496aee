// The built command line starts from V8's cache of its compiled code (bin/run-built.js): made by a
// command's first start, used as it is by the next ones, and never used with another build.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../../scripts/build-cli.js';
import { repoRoot, run, tempFolder, type Ran } from './helpers.js';

describe('the code cache of the built command line', () => {
  // A build of its own (see built-cli.test.ts), so its cache starts empty.
  const outDir = join(repoRoot, 'out', `.cli-cache-test-${process.pid}`);
  const cacheDir = join(outDir, 'cache');
  const folder = tempFolder();
  const workflow = join(folder.dir, 'one.json');
  let runs = 0;

  /** `photon ARGS` from the build in `dir`, started as bin/photon.js starts it, between `before` and `after` (a script's text). */
  const photon = (args: readonly string[], dir = outDir, before = '', after = '', moreEnv: NodeJS.ProcessEnv = {}): Promise<Ran> => {
    const script = `${before}
const { runBuilt } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'bin', 'run-built.js')).href)});
process.exitCode = await runBuilt(${JSON.stringify(dir)}, ${JSON.stringify(args)});
${after}`;
    const env = { ...process.env, ...moreEnv };
    delete env.PHOTON_DATA_DIR;
    if (!('PHOTON_RUN_V8_FLAGS' in moreEnv)) delete env.PHOTON_RUN_V8_FLAGS;
    return run(process.execPath, ['--input-type=module', '-e', script], { cwd: folder.dir, env });
  };
  const photonRun = async () => {
    const ran = await photon(['run', workflow, '--json', '--data-dir', join(folder.dir, `data-${runs++}`)]);
    expect(ran.stderr).not.toContain('error');
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded' });
    expect(ran.code).toBe(0);
  };
  /** Each cache file by name, with what tells one write from another. */
  const caches = () => Object.fromEntries(readdirSync(cacheDir).map((name) => [name, (({ ino, mtimeMs, size }) => ({ ino, mtimeMs, size }))(statSync(join(cacheDir, name)))]));

  /** The name of the run cache of main.cjs as it is now. */
  const runCache = () => (({ size, mtimeMs }) => `run-${size}-${Math.trunc(mtimeMs)}.v8`)(statSync(join(outDir, 'main.cjs')));

  beforeAll(async () => {
    await buildCli(outDir);
    writeFileSync(workflow, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    folder.cleanup();
  });

  it('keeps what a run compiled, and the next runs start from it without writing it again', async () => {
    // A run refused for its usage compiled next to nothing: its cache would hold every later run back.
    expect((await photon(['run', join(folder.dir, 'missing.json')])).code).toBe(2);
    expect(existsSync(cacheDir)).toBe(false);
    await photonRun();
    const made = caches();
    expect(Object.keys(made)).toEqual([expect.stringMatching(/^run-\d+-\d+\.v8$/)]);
    await photonRun();
    await photonRun();
    // A cache V8 refused would have been written again (a new file renamed over it).
    expect(caches()).toEqual(made);
  }, 60_000);

  it('keeps a cache of its own for --help, which compiles little, and one for other commands', async () => {
    const help = await photon(['--help']);
    expect(help.stdout).toContain('Usage: photon <command> [options]');
    const runs = await photon(['runs', '--data-dir', join(folder.dir, 'data-0')]);
    expect(runs.code).toBe(0);
    expect(Object.keys(caches()).map((name) => name.split('-')[0]).sort()).toEqual(['help', 'other', 'run']);
    const [ran, helpCache] = [Object.entries(caches()).find(([name]) => name.startsWith('run-'))!, Object.entries(caches()).find(([name]) => name.startsWith('help-'))!];
    expect(helpCache[1].size).toBeLessThan(ran[1].size / 2);
    // Made from light.cjs, the bundle --help runs: its name gives that bundle's size.
    expect(helpCache[0]).toBe(`help-${statSync(join(outDir, 'light.cjs')).size}-${Math.trunc(statSync(join(outDir, 'light.cjs')).mtimeMs)}.v8`);
  }, 60_000);

  it('replaces a cache V8 refuses, and the command runs all the same', async () => {
    const [name] = Object.keys(caches()).filter((file) => file.startsWith('run-'));
    writeFileSync(join(cacheDir, name!), Buffer.alloc(4096, 7));
    await photonRun();
    expect(caches()[name!]!.size).not.toBe(4096);
    const written = caches()[name!];
    await photonRun();
    expect(caches()[name!]).toEqual(written);
  }, 60_000);

  it('never uses a cache made from another main.cjs: the cache names the bundle it was made from', async () => {
    const before = Object.keys(caches()).filter((file) => file.startsWith('run-'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(outDir, 'main.cjs'), later, later);
    await photonRun();
    const after = Object.keys(caches()).filter((file) => file.startsWith('run-'));
    expect(after).toHaveLength(2);
    expect(after).toEqual(expect.arrayContaining(before));
  }, 60_000);

  it('refuses a cache damaged past its header, which V8 does not check, and makes it again', async () => {
    const name = runCache();
    const data = readFileSync(join(cacheDir, name));
    // The header (V8's version, flags, the source's length) is kept: only what follows is damaged.
    for (let at = 256; at < data.length; at += 997) data[at] = data[at]! ^ 0x55;
    writeFileSync(join(cacheDir, name), data);
    await photonRun();
    expect(readFileSync(join(cacheDir, name)).equals(data)).toBe(false);
    const written = caches()[name];
    await photonRun();
    expect(caches()[name]).toEqual(written);
  }, 60_000);

  it('runs when the cache cannot be written, and leaves no partial cache behind', async () => {
    const name = runCache();
    // A folder where the cache should be: unreadable and never replaced.
    rmSync(join(cacheDir, name));
    mkdirSync(join(cacheDir, name));
    await photonRun();
    await photonRun();
    expect(readdirSync(cacheDir).filter((file) => !file.endsWith('.v8'))).toEqual([]);
    rmSync(join(cacheDir, name), { recursive: true });
  }, 60_000);

  it('waits out a build being swapped in, and never makes the build folder again for its cache', async () => {
    // As scripts/build-cli.js swaps builds: the old renamed away, then the new renamed into place.
    const dir = join(repoRoot, 'out', `.cli-cache-gone-test-${process.pid}`);
    const away = `${dir}.away`;
    mkdirSync(away);
    try {
      cpSync(join(outDir, 'main.cjs'), join(away, 'main.cjs'));
      const swappedInLater = `import { renameSync } from 'node:fs';
setTimeout(() => renameSync(${JSON.stringify(away)}, ${JSON.stringify(dir)}), 100);`;
      const started = await photon(['--help'], dir, swappedInLater);
      expect(started.code).toBe(0);
      expect(started.stdout).toContain('Usage: photon <command> [options]');
      // A run that outlives its build (renamed away while its step runs) writes no cache in its place.
      rmSync(join(dir, 'cache'), { recursive: true, force: true });
      const moving = join(folder.dir, 'moving.json');
      writeFileSync(moving, JSON.stringify({ name: 'moving', workflow: [{ step: 1, platform: 'shell', inputs: { command: `mv ${dir} ${away}` }, dependencies: [] }] }));
      const ran = await photon(['run', moving, '--json', '--data-dir', join(folder.dir, `data-${runs++}`)], dir);
      expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded' });
      expect(existsSync(away)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(away, { recursive: true, force: true });
    }
  }, 60_000);

  it('names a cache after the code it was compiled from, even when a build is swapped in meanwhile', async () => {
    // A build of the same length as the first but for one letter, swapped in right after the first
    // is read (as `npm run build:cli` renames a new build over the old): V8 checks only the length.
    const dir = join(repoRoot, 'out', `.cli-cache-swap-test-${process.pid}`);
    mkdirSync(dir);
    try {
      const first = join(dir, 'main.cjs');
      const next = join(dir, 'main.cjs.next');
      cpSync(join(outDir, 'main.cjs'), first);
      const text = readFileSync(first, 'utf8');
      writeFileSync(next, text.replace('Usage: photon <command> [options]', 'Usage: photon <COMMAND> [options]'));
      const later = new Date(Date.now() + 5_000);
      utimesSync(next, later, later);
      const swapAfterRead = `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const read = fs.readFileSync;
let swapped = false;
fs.readFileSync = function (...args) {
  const result = read.apply(this, args);
  if (!swapped && String(result).includes('photonBundleUrl')) {
    swapped = true;
    fs.renameSync(${JSON.stringify(next)}, ${JSON.stringify(first)});
  }
  return result;
};
syncBuiltinESMExports();`;
      expect((await photon(['--help'], dir, swapAfterRead)).stdout).toContain('Usage: photon <command> [options]');
      expect(existsSync(next)).toBe(false);
      // The swapped-in build runs its own code, not the first's bytecode from a cache named after it.
      expect((await photon(['--help'], dir)).stdout).toContain('Usage: photon <COMMAND> [options]');
      expect((await photon(['--help'], dir)).stdout).toContain('Usage: photon <COMMAND> [options]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("leaves Node's own modules their built-in code cache: the cache's checksums are checked only for main.cjs", async () => {
    // Node says for each of its modules whether V8 took its built-in cache (under the checksum flag, none has one).
    const ran = await photon(['run', workflow, '--json', '--data-dir', join(folder.dir, `data-${runs++}`)], outDir, '', "await import('node:repl');", { NODE_DEBUG_NATIVE: 'CODE_CACHE' });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toMatch(/Code cache of repl \(\w+\) is accepted/);
    expect(ran.stderr).not.toContain('is rejected');
  }, 60_000);

  it('runs the engine of a run under PHOTON_RUN_V8_FLAGS, other commands and other runs without them, and keeps its cache', async () => {
    // A hot loop in the command's process once the command is done: V8 traces each optimization it makes.
    const hotLoop = `const v8 = (await import('node:v8')).default;
v8.setFlagsFromString('--trace-opt');
const sum = new Function('a', 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s;');
const numbers = Array.from({ length: 1000 }, (_, i) => i);
for (let round = 0; round < 5; round++) {
  for (let k = 0; k < 5000; k++) sum(numbers);
  await new Promise((resolve) => setTimeout(resolve, 20));
}`;
    const noTurbofan = { PHOTON_RUN_V8_FLAGS: '--max-opt=1' };
    const runUnder = (env: NodeJS.ProcessEnv) => photon(['run', workflow, '--data-dir', join(folder.dir, `data-${runs++}`)], outDir, '', hotLoop, env);
    const flagged = await runUnder(noTurbofan);
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toContain('succeeded');
    expect(flagged.stdout).not.toContain('TURBOFAN');
    // The runs' cache, made again under the flags, is taken as it is by the next run under them.
    const made = caches()[runCache()];
    expect((await runUnder(noTurbofan)).code).toBe(0);
    expect(caches()[runCache()]).toEqual(made);
    expect((await photon(['--help'], outDir, '', hotLoop, noTurbofan)).stdout).toContain('TURBOFAN');
    expect((await runUnder({})).stdout).toContain('TURBOFAN');
  }, 60_000);

  it("compiles each bundle's text as the build wrote it, not a copy with the module wrapper added, and it still runs required as a module", async () => {
    // V8 copied the 1.7 MB of main.cjs into its heap when given it inside a wrapper string (bin/run-built.js's bundlePrefix).
    const compiled = `import vm from 'node:vm';
import { readFileSync } from 'node:fs';
const RealScript = vm.Script;
const asBuilt = [];
vm.Script = class extends RealScript {
  constructor(code, options) {
    super(code, options);
    asBuilt.push(code === readFileSync(options.filename, 'latin1'));
  }
};`;
    const report = "process.stderr.write('as built: ' + JSON.stringify(asBuilt) + '\\n');";
    const help = await photon(['--version'], outDir, compiled, report);
    expect(help.code).toBe(0);
    expect(help.stderr).toContain('as built: [true]');
    const validate = await photon(['validate', workflow], outDir, compiled, report);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain('as built: [true]');
    // Under --enable-source-maps bin/run-built.js require()s the bundle, which must then run as a module.
    const mapped = await photon(['validate', workflow], outDir, '', '', { NODE_OPTIONS: '--enable-source-maps' });
    expect(mapped.stdout).toContain('valid, "one" with 1 step');
    expect(mapped.code).toBe(0);
  }, 60_000);
});
