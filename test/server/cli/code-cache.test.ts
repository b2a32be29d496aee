// The built command line starts from V8's cache of its compiled code (bin/run-built.js): made by a
// command's first start, used as it is by the next ones, and never used with another build.
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

  /** `photon ARGS` from the build, started as bin/photon.js starts it. */
  const photon = (args: readonly string[]): Promise<Ran> => {
    const script = `const { runBuilt } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'bin', 'run-built.js')).href)});
process.exitCode = await runBuilt(${JSON.stringify(outDir)}, ${JSON.stringify(args)});`;
    const env = { ...process.env };
    delete env.PHOTON_DATA_DIR;
    return run(process.execPath, ['--input-type=module', '-e', script], { cwd: folder.dir, env });
  };
  const photonRun = async () => {
    const ran = await photon(['run', workflow, '--json', '--data-dir', join(folder.dir, `data-${runs++}`)]);
    expect(ran.stderr).not.toContain('error');
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded' });
  };
  /** Each cache file by name, with what tells one write from another. */
  const caches = () => Object.fromEntries(readdirSync(cacheDir).map((name) => [name, (({ ino, mtimeMs, size }) => ({ ino, mtimeMs, size }))(statSync(join(cacheDir, name)))]));

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
    expect(Object.keys(caches()).map((name) => name.split('-')[0]).sort()).toEqual(['light', 'other', 'run']);
    const [ran, light] = [Object.entries(caches()).find(([name]) => name.startsWith('run-'))!, Object.entries(caches()).find(([name]) => name.startsWith('light-'))!];
    expect(light[1].size).toBeLessThan(ran[1].size / 2);
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
});
