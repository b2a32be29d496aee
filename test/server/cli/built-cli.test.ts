// The command line starts from JavaScript built ahead of time (scripts/build-cli.js), runs only
// what the command needs, and never runs a build older than its sources: bin/photon.js falls back
// to the TypeScript sources through tsx when the build is missing or stale.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, bundledPackages, fingerprint } from '../../../scripts/build-cli.js';
import { repoRoot, run, tempFolder, type Ran } from './helpers.js';

function node(args: readonly string[], cwd: string): Promise<Ran> {
  const env = { ...process.env };
  delete env.PHOTON_DATA_DIR;
  delete env.PHOTON_CLI_FROM_SOURCE;
  return run(process.execPath, args, { cwd, env });
}

/**
 * Runs the built CLI as bin/photon.js does (bin/run-built.js) in a fresh Node with V8's coverage on,
 * recording every process it spawns and every CommonJS module it required; prints the command's
 * output, then those as JSON on the last line. The bundle's modules that run only when imported
 * (the engine, zod, the ACP SDK...) are functions named by their source path, so the coverage of
 * main.cjs says which of them ran ({@link modulesRun}).
 */
function runBuilt(outDir: string, argv: readonly string[], coverageDir: string): Promise<Ran> {
  const script = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
import childProcess from 'node:child_process';
const loaded = [];
// Each process started, with whether the engine (its SQLite) was loaded by then.
const cjs = createRequire(import.meta.url).cache;
const realSpawn = childProcess.spawn;
childProcess.spawn = function (file, args, ...rest) {
  const engineLoaded = Object.keys(cjs).some((path) => path.includes('/node_modules/better-sqlite3/'));
  loaded.push('spawn ' + [file, ...(Array.isArray(args) ? args : [])].join(' ') + (engineLoaded ? ' (engine loaded)' : ' (before the engine)'));
  return realSpawn.call(this, file, args, ...rest);
};
syncBuiltinESMExports();
const { runBuilt } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'bin', 'run-built.js')).href)});
process.exitCode = await runBuilt(${JSON.stringify(outDir)}, ${JSON.stringify(argv)});
await new Promise((resolve) => setTimeout(resolve, 200));
loaded.push(...Object.keys(cjs));
process.stdout.write('\\n' + JSON.stringify(loaded) + '\\n');
setTimeout(() => process.exit(), 2000).unref();
`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_V8_COVERAGE: coverageDir };
  delete env.PHOTON_DATA_DIR;
  return run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, env });
}

/** The bundle's modules (by source path) that ran, from the V8 coverage written to `coverageDir`. */
function modulesRun(coverageDir: string): Set<string> {
  const ran = new Set<string>();
  for (const name of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(join(coverageDir, name), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] };
    for (const script of result.filter(({ url }) => url.endsWith('/main.cjs'))) {
      for (const { functionName, ranges } of script.functions) if (ranges[0]!.count > 0 && /^(electron|shared|node_modules)\//.test(functionName)) ran.add(functionName);
    }
  }
  return ran;
}

/** The build's bundles (main.cjs, light.cjs) that V8 compiled, from the coverage written to `coverageDir`. */
function bundlesCompiled(coverageDir: string): string[] {
  const urls = readdirSync(coverageDir).flatMap((name) => (JSON.parse(readFileSync(join(coverageDir, name), 'utf8')) as { result: { url: string }[] }).result.map(({ url }) => url));
  return [...new Set(urls.flatMap((url) => /\/(\w+\.cjs)$/.exec(url)?.[1] ?? []))].sort();
}

function split(result: Ran): { output: string; loaded: string[] } {
  const lines = result.stdout.trimEnd().split('\n');
  return { output: lines.slice(0, -1).join('\n'), loaded: JSON.parse(lines.at(-1)!) as string[] };
}

const oneStep = { name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] };

describe('the built command line', () => {
  // Built into a folder of its own inside the project (packages resolve from its node_modules),
  // never over out/cli, which other processes may be running from.
  const outDir = join(repoRoot, 'out', `.cli-test-${process.pid}`);
  const folder = tempFolder();
  let modulesIn: Record<string, string[]> = {};
  /** The modules main.cjs runs only when they are imported: what {@link modulesRun} can see. */
  let lazyModules: Set<string>;
  let coverageRuns = 0;
  /** Runs `argv` and says which of the bundle's modules ran. */
  const runCovered = async (argv: readonly string[]) => {
    const coverageDir = join(folder.dir, `coverage-${coverageRuns++}`);
    const result = await runBuilt(outDir, argv, coverageDir);
    return { result, ...split(result), ran: modulesRun(coverageDir), bundles: bundlesCompiled(coverageDir) };
  };
  const heavy = ['electron/engine/index.ts', 'node_modules/zod/v4/core/core.js', 'node_modules/ws/lib/websocket.js', 'node_modules/@agentclientprotocol/sdk/dist/v1/stable/acp.js'];

  beforeAll(async () => {
    ({ modulesIn } = await buildCli(outDir));
    lazyModules = new Set([...readFileSync(join(outDir, 'main.cjs'), 'utf8').matchAll(/^ {2}"([^"]+)"\([^)]*\) \{$/gm)].map((match) => match[1]!));
    writeFileSync(join(folder.dir, 'one.json'), JSON.stringify(oneStep));
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    folder.cleanup();
  });

  it('prints help from light.cjs, which holds none of the engine, zod or ws, loading no native module and not main.cjs', async () => {
    // Each runs only when imported, so a run of it would show.
    expect(heavy.filter((module) => !lazyModules.has(module))).toEqual([]);
    expect(modulesIn['light.cjs']!.length).toBe(0);
    const lightSize = statSync(join(outDir, 'light.cjs')).size;
    expect(lightSize).toBeLessThan(statSync(join(outDir, 'main.cjs')).size / 8);
    expect(readFileSync(join(outDir, 'light.cjs'), 'utf8')).not.toMatch(/electron\/engine\/index\.ts|zod\/v4\/core/);
    for (const argv of [['--help'], ['help', 'run'], ['--version']]) {
      const { result, output, loaded, bundles } = await runCovered(argv);
      expect(result.code).toBe(0);
      expect(output).toContain(argv[0] === '--version' ? 'photon ' : 'Usage: photon');
      expect(bundles).toEqual(['light.cjs']);
      expect(loaded.filter((path) => ['better-sqlite3', 'node-pty', 'keytar', 'ws'].some((name) => path.includes(`/node_modules/${name}/`)))).toEqual([]);
    }
  }, 60_000);

  it('prints the same help, version and usage from light.cjs as from main.cjs', async () => {
    const outputs = (bundle: string, argv: readonly string[]) => {
      const script = `process.exitCode = await require(${JSON.stringify(join(outDir, bundle))}).main(${JSON.stringify(argv)});`;
      return node(['--input-type=commonjs', '-e', `(async () => { ${script} })()`], folder.dir);
    };
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'run'], ['help', 'nope'], ['--version'], []]) {
      const [light, main] = await Promise.all([outputs('light.cjs', argv), outputs('main.cjs', argv)]);
      expect(light.stdout + light.stderr).not.toBe('');
      expect({ code: light.code, stdout: light.stdout, stderr: light.stderr }).toEqual({ code: main.code, stdout: main.stdout, stderr: main.stderr });
    }
    // A command that does work is not light.cjs's (bin/run-built.js never gives it one); should it get one, it says so.
    const refused = await outputs('light.cjs', ['validate', join(folder.dir, 'one.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not in the command line's light build");
  }, 60_000);

  it('validates and runs a workflow, finding package.json and its data folder from the build', async () => {
    const version = await runCovered(['--version']);
    expect(version.output).toMatch(/^photon \d+\.\d+\.\d+/);

    const validated = await runCovered(['validate', join(folder.dir, 'one.json')]);
    expect(validated.result.code).toBe(0);
    expect(validated.output).toContain('valid, "one" with 1 step');
    expect(validated.loaded.filter((entry) => entry.startsWith('spawn '))).toEqual([]);

    const ran = await runCovered(['run', join(folder.dir, 'one.json'), '--json', '--data-dir', folder.dataDir]);
    expect(ran.result.stderr).not.toContain('unexpected error');
    expect(ran.result.code).toBe(0);
    expect(JSON.parse(ran.output)).toMatchObject({ status: 'succeeded' });
    // The engine came from the build, not from the TypeScript sources, with the packages every run loads inside it.
    expect(ran.ran.has('electron/engine/index.ts')).toBe(true);
    expect(ran.loaded.some((path) => path.endsWith('.ts'))).toBe(false);
    expect(ran.loaded.filter((path) => !path.endsWith('.node') && bundledPackages.some((name) => path.includes(`/node_modules/${name}/`)))).toEqual([]);
    // SQLite's native module is opened by its path: the `bindings` package's search is not run.
    expect(ran.loaded.filter((path) => path.includes('/node_modules/better-sqlite3/'))).toEqual([join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')]);
    expect(ran.loaded.filter((path) => path.includes('/node_modules/bindings/'))).toEqual([]);
    expect(ran.ran.has('node_modules/zod/v4/core/core.js')).toBe(true);
    // Nor what only some runs need: the ACP SDK (an AI step's session) and ws (a daemon to hand the run to).
    expect([...ran.ran].filter((module) => /^node_modules\/(@agentclientprotocol\/sdk|ws)\//.test(module))).toEqual([]);
    // The terminal host was started while the engine loaded, not when the step was ready to start.
    const hostStarts = ran.loaded.filter((entry) => entry.startsWith('spawn ') && (entry.includes('pty-host-main.js') || entry.includes('photon-pty-spawner --host')));
    expect(hostStarts).toHaveLength(1);
    expect(hostStarts[0]).toMatch(/\(before the engine\)$/);
    // JSON Schema's validator is loaded by the first step that declares an output schema, not at every start.
    expect(ran.loaded.filter((path) => path.includes('/node_modules/ajv/'))).toEqual([]);
  }, 60_000);

  it('holds only ASCII, which bin/run-built.js reads as Latin-1, and prints what is not ASCII as it should', async () => {
    for (const bundle of ['main.cjs', 'light.cjs']) expect(readFileSync(join(outDir, bundle)).findIndex((byte) => byte > 0x7f), bundle).toBe(-1);
    const file = join(folder.dir, 'list.json');
    writeFileSync(file, '[1]');
    const validated = await runCovered(['validate', file]);
    expect(validated.result.code).toBe(2);
    expect(validated.result.stderr).toContain('a workflow is an object { "name": "\u2026", "workflow": [ \u2026steps ] }, not an array');
  }, 60_000);

  it('holds only what the sources use of zod: no locale but the English one zod sets itself', () => {
    // (locales/index.js is kept as an empty module: what it re-exports is gone.)
    expect(modulesIn['main.cjs']!.filter((module) => /zod\/v4\/locales\/(?!index\.js)/.test(module))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('checks a step\'s output against its schema, loading the validator then', async () => {
    const file = join(folder.dir, 'typed.json');
    const step = { step: 1, platform: 'shell', inputs: { command: 'echo \'{"count": "three"}\'' }, dependencies: [], output: 'json', outputSchema: { type: 'object', properties: { count: { type: 'number' } } } };
    writeFileSync(file, JSON.stringify({ name: 'typed', workflow: [step] }));
    const ran = await runCovered(['run', file, '--json', '--data-dir', folder.dataDir]);
    expect(ran.result.code).toBe(1);
    expect(JSON.stringify(JSON.parse(ran.output))).toContain('the output does not match its outputSchema: /count must be number');
    expect(ran.loaded.some((path) => path.includes('/node_modules/ajv/'))).toBe(true);
  }, 60_000);
});

describe('bin/photon.js', () => {
  // A project of its own: the real bin/photon.js, a "built" main and a "source" main that say
  // which one ran, and the real tsx linked in.
  let project: string;
  const source = () => join(project, 'electron', 'server', 'cli', 'main.ts');
  /** A "build" of main.ts, and of `packages` (manifest path -> file) when given. */
  const writeBuild = (packages: Record<string, string> = {}) => {
    mkdirSync(join(project, 'out', 'cli'), { recursive: true });
    writeFileSync(join(project, 'out', 'cli', 'main.cjs'), `exports.main = async function main() { process.stdout.write('built\\n'); return 0; };\n`);
    const file = 'electron/server/cli/main.ts';
    const sources = { [file]: fingerprint(join(project, file)), ...Object.fromEntries(Object.entries(packages).map(([path, at]) => [path, fingerprint(at)])) };
    writeFileSync(join(project, 'out', 'cli', 'manifest.json'), JSON.stringify({ sources }));
  };
  const start = () => node([join(project, 'bin', 'photon.js')], project);

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'photon-bin-'));
    mkdirSync(join(project, 'bin'));
    for (const file of ['photon.js', 'build-current.js', 'run-built.js', 'package.json']) cpSync(join(repoRoot, 'bin', file), join(project, 'bin', file));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'photon', type: 'module' }));
    // node_modules of its own, for a "bundled" package to be reinstalled in, with the real tsx (its own packages are found from where it really is).
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(join(repoRoot, 'node_modules', 'tsx'), join(project, 'node_modules', 'tsx'));
    mkdirSync(join(project, 'electron', 'server', 'cli'), { recursive: true });
    writeFileSync(source(), `export async function main(): Promise<number> { process.stdout.write('source\\n'); return 0; }\n`);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('runs the build while its sources are unchanged', async () => {
    writeBuild();
    expect((await start()).stdout).toBe('built\n');
  }, 60_000);

  it('runs the build without loading an ES module: bin/ is CommonJS, sparing every start the ES module loader', async () => {
    writeBuild();
    const preload = join(project, 'loaded.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeSync(2, process.moduleLoadList.filter((name) => name.includes('/esm/')).join('\\n')));\n`);
    const started = await node(['-r', preload, join(project, 'bin', 'photon.js'), '--version'], project);
    expect(started.stdout).toBe('built\n');
    expect(started.stderr).not.toContain('internal/modules/esm/module_job');
  }, 60_000);

  it('checks for help and --version only the sources of light.cjs, which they run, and all of them for the rest', async () => {
    const engine = join(project, 'electron', 'engine', 'index.ts');
    mkdirSync(dirname(engine), { recursive: true });
    writeFileSync(engine, 'export const engine = 1;\n');
    writeBuild({ 'electron/engine/index.ts': engine });
    writeFileSync(join(project, 'out', 'cli', 'light.cjs'), `exports.main = async function main() { process.stdout.write('built, light\\n'); return 0; };\n`);
    const manifest = join(project, 'out', 'cli', 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), light: ['electron/server/cli/main.ts'] }));
    // What ran: 'built, light', 'built' (main.cjs) or 'source' (whatever the source says by now).
    const photon = async (args: string[]) => (await node([join(project, 'bin', 'photon.js'), ...args], project)).stdout.replace(/^source.*/s, 'source').trim();
    expect([await photon(['--help']), await photon(['validate'])]).toEqual(['built, light', 'built']);
    // A source of main.cjs alone: light.cjs is still as it was built from its own.
    writeFileSync(engine, 'export const engine = 2;\n');
    expect([await photon(['--help']), await photon(['--version']), await photon(['validate'])]).toEqual(['built, light', 'built, light', 'source']);
    // One of light.cjs's: neither bundle runs.
    const later = new Date(Date.now() + 5_000);
    utimesSync(source(), later, later);
    expect([await photon(['--help']), await photon(['validate'])]).toEqual(['source', 'source']);
    // A build that lost its light.cjs: help runs main.cjs, which is checked against every source.
    writeBuild({ 'electron/engine/index.ts': engine });
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), light: ['electron/server/cli/main.ts'] }));
    writeFileSync(engine, 'export const engine = 3;\n');
    rmSync(join(project, 'out', 'cli', 'light.cjs'));
    expect(await photon(['--help'])).toBe('source');
    rmSync(join(project, 'electron', 'engine'), { recursive: true });
  }, 60_000);

  it('runs the sources through tsx when a source changed after the build', async () => {
    writeBuild();
    writeFileSync(source(), `export async function main(): Promise<number> { process.stdout.write('source, edited\\n'); return 0; }\n`);
    expect((await start()).stdout).toBe('source, edited\n');
  }, 60_000);

  it('runs the sources when only a source\'s modification time moved (a checkout of other content of the same size)', async () => {
    writeBuild();
    const later = new Date(Date.now() + 5_000);
    utimesSync(source(), later, later);
    expect((await start()).stdout).toBe('source, edited\n');
  }, 60_000);

  it('runs the sources when a bundled package was reinstalled, though npm gives its files the same size and modification time', async () => {
    const installed = join(project, 'node_modules', 'left-pad', 'index.js');
    mkdirSync(dirname(installed), { recursive: true });
    writeFileSync(installed, 'module.exports = 1;\n');
    const npmTime = new Date('1985-10-26T08:15:00Z');
    utimesSync(installed, npmTime, npmTime);
    writeBuild({ 'node_modules/left-pad/index.js': installed });
    expect((await start()).stdout).toBe('built\n');
    // Another version of the same size, extracted with npm's fixed time: only its inode's change time moved.
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(installed, 'module.exports = 2;\n');
    utimesSync(installed, npmTime, npmTime);
    expect((await start()).stdout).toBe('source, edited\n');
  }, 60_000);

  it('runs the sources when the build is an older kind, with no main.cjs, though its sources are unchanged', async () => {
    writeBuild();
    rmSync(join(project, 'out', 'cli', 'main.cjs'));
    writeFileSync(join(project, 'out', 'cli', 'main.js'), `export async function main() { process.stdout.write('old build\\n'); return 0; }\n`);
    expect((await start()).stdout).toBe('source, edited\n');
  }, 60_000);

  it('runs the sources when the build is missing, or lists a source that is gone', async () => {
    rmSync(join(project, 'out'), { recursive: true, force: true });
    expect((await start()).stdout).toBe('source, edited\n');
    writeBuild();
    writeFileSync(
      join(project, 'out', 'cli', 'manifest.json'),
      JSON.stringify({ sources: { 'electron/server/cli/main.ts': fingerprint(source()), 'shared/gone.ts': '1:1' } }),
    );
    expect((await start()).stdout).toBe('source, edited\n');
  }, 60_000);

  it('runs the sources when a folder on a source\'s path became a file', async () => {
    writeBuild();
    const manifest = join(project, 'out', 'cli', 'manifest.json');
    const { sources } = JSON.parse(readFileSync(manifest, 'utf8')) as { sources: Record<string, string> };
    writeFileSync(join(project, 'shared'), 'not a folder\n');
    writeFileSync(manifest, JSON.stringify({ sources: { ...sources, 'shared/errors.ts': '1:1' } }));
    const started = await start();
    expect(started.stderr).toBe('');
    expect(started.stdout).toBe('source, edited\n');
    rmSync(join(project, 'shared'));
  }, 60_000);
});

describe('npx photon', () => {
  it('runs the project\'s own command without asking the registry anything', async () => {
    const requests: string[] = [];
    const registry = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = registry.address() as AddressInfo;
      const npx = join(dirname(process.execPath), 'npx');
      const result = await run(npx, ['photon', '--version'], {
        cwd: repoRoot,
        env: { ...process.env, npm_config_registry: `http://127.0.0.1:${port}/`, npm_config_update_notifier: 'false' },
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^photon \d+\.\d+\.\d+\n$/);
      expect(requests).toEqual([]);
    } finally {
      registry.close();
    }
  }, 60_000);
});
