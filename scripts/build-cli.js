#!/usr/bin/env node
// Builds the `photon` command line ahead of time into out/cli/, so it starts without compiling
// TypeScript (tsx took about 0.5 s of every start). `npm install` runs it (the `prepare` script).
//
//   node scripts/build-cli.js
//
// One CommonJS file, main.cjs, which bin/run-built.js compiles with V8's code cache (Node 20 has
// none for ES modules); what a command reaches only through a dynamic import (the engine, for one)
// is in it but runs only when imported, so `--help` runs no more than before. Packages stay in
// node_modules but for a few that runs load (bundledPackages). light.cjs, for help and --version,
// is the same entry without what is only imported dynamically (see lightOnly). Beside them, manifest.json lists every
// file the bundles were made from with its size and modification time, this script included, and
// (`light`) those light.cjs was made from: bin/photon.js runs a bundle only while all of its sources
// are unchanged, and the sources through tsx otherwise.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildCurrent from '../bin/build-current.js';
import runBuilt from '../bin/run-built.js';

const { bundlePrefix, bundleSuffix } = runBuilt;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cliOutDir = join(projectRoot, 'out', 'cli');
export const cliEntry = join(projectRoot, 'electron', 'server', 'cli', 'main.ts');

/**
 * Sources find files beside them with `new URL(path, import.meta.url)` (package.json, the built
 * renderer). The bundle sits in out/cli/ and has no import.meta, so each source's `import.meta.url`
 * becomes its own file's place reached from the bundle's: the paths stay right, and the folder can
 * still be moved.
 */
function keepSourceUrls(outDir, seen) {
  return {
    name: 'photon-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        // Taken before the file is read: a file edited while the build runs then differs from
        // its manifest entry, and its stale bundle is never run. Both bundles read most files: the
        // first reading is recorded, so an edit between the two is seen too.
        if (!seen.has(args.path)) seen.set(args.path, fingerprint(args.path));
        const text = zodAsNamespace(readFileSync(args.path, 'utf8'));
        const fromOut = relative(outDir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, photonBundleUrl).href`), loader: 'ts' };
      });
    },
  };
}

/**
 * The sources' `import { z } from 'zod'` as `import * as z from 'zod'`, which is the same object at
 * run time. Through the first, `z` is zod's namespace re-exported as a value, which esbuild keeps
 * whole: every locale zod has (48 of them, 368 KB), its JSON Schema converters and all the rest,
 * 755 KB that every `photon run` compiled; through the second it keeps only what is used (about
 * 200 KB). Type-only imports are erased either way.
 */
export function zodAsNamespace(text) {
  return text.replace(/^import \{ z \} from 'zod';$/gm, "import * as z from 'zod';");
}

/**
 * Packages bundled into the build rather than imported from node_modules at each start: the ones
 * a `photon run` loads (zod, jsep, croner and better-sqlite3 every run; ws with a daemon, the ACP
 * SDK with an AI session), made of many small modules (zod alone is 97), whose resolving and
 * loading one by one cost about 45 ms of the start (bench/cli-start.bench.ts), and which the code
 * cache then covers. Of better-sqlite3 only its JavaScript: storage/database.ts opens its native
 * module by path. The rest (node-pty and keytar, native; hono...) stays in node_modules.
 */
export const bundledPackages = ['zod', 'ws', '@agentclientprotocol/sdk', 'jsep', 'croner', 'better-sqlite3'];

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package is imported from node_modules at run time except {@link bundledPackages}. */
function externalPackages() {
  return {
    name: 'photon-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => (bundledPackages.includes(packageOf(args.path)) ? undefined : { external: true }));
    },
  };
}

/**
 * What runs `photon --help`, `help [COMMAND]` and `--version` (bin/run-built.js's lightCommands):
 * the same entry as main.cjs, but every module it imports dynamically is left out, which is all of
 * a command's work (the engine, zod, the server...): 100 KB to read and compile rather than 1.7 MB.
 * main.cjs's reading, decoding and compiling from its code cache was about 40 ms of `--help`'s
 * 90 (bin/run-built.js). A dynamic import there fails, saying so: those commands never run one.
 */
function lightOnly() {
  return {
    name: 'photon-light-only',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'photon-not-in-light' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'photon-not-in-light' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in the command line's light build (out/cli/light.cjs), which only prints help`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Builds into a fresh folder beside `outDir` and swaps it in, so a start never sees half a build.
 * `outDir` must be inside the project (packages are found from its node_modules).
 */
export async function buildCli(outDir = cliOutDir) {
  const { build } = await import('esbuild');
  const staging = join(dirname(outDir), `.cli-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    return await buildInto(staging, outDir, build);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function buildInto(staging, outDir, build) {
  const seen = new Map();
  const options = {
    // Metafile inputs are relative to this folder, so the manifest is right from wherever it runs.
    absWorkingDir: projectRoot,
    outdir: staging,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    // A package's import() becomes require() (Node 20 requires ES modules too): a vm.Script compiled
    // from a code cache has no import() of its own in Node 20 (it fails: "A dynamic import callback
    // was not specified").
    supported: { 'dynamic-import': false },
    banner: { js: "const photonBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  };
  const result = await build({ ...options, entryPoints: { main: cliEntry }, plugins: [keepSourceUrls(outDir, seen), externalPackages()] });
  const light = await build({ ...options, entryPoints: { light: cliEntry }, plugins: [lightOnly(), keepSourceUrls(outDir, seen), externalPackages()] });
  for (const bundle of ['main.cjs', 'light.cjs']) {
    asciiOnly(join(staging, bundle));
    wrapForRunBuilt(join(staging, bundle));
  }
  const lightInputs = Object.keys(light.metafile.inputs).filter((input) => !input.startsWith('photon-not-in-light:'));
  const inputs = [...Object.keys(result.metafile.inputs), ...lightInputs];
  // This script too: a build made another way is not run by a bin/photon.js that expects this one.
  const sources = [...new Set([...inputs.map((input) => resolve(projectRoot, input)), fileURLToPath(import.meta.url)])];
  // What light.cjs was made from: bin/photon.js checks only these before running it.
  const lightSources = [...new Set([...lightInputs.map((input) => relative(projectRoot, resolve(projectRoot, input))), relative(projectRoot, fileURLToPath(import.meta.url))])];
  const manifest = { sources: Object.fromEntries(sources.map((file) => [relative(projectRoot, file), seen.get(file) ?? fingerprint(file)])), light: lightSources };
  writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  mkdirSync(dirname(outDir), { recursive: true });
  const old = join(dirname(outDir), `.cli-old-${process.pid}`);
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(staging, outDir);
  rmSync(old, { recursive: true, force: true });
  return { sources: sources.length, ...bundledByOutput({ outputs: { ...result.metafile.outputs, ...light.metafile.outputs } }) };
}

/**
 * bin/run-built.js reads a bundle as Latin-1, which is right for ASCII alone. esbuild escapes what
 * is not ASCII in strings and names, but not in regular expressions and the comments it keeps (two
 * characters in main.cjs): those become \uXXXX escapes, which mean the same in a regular
 * expression, with or without the u flag (a surrogate pair's two escapes are one code point there).
 * Decoded as UTF-8, the bundle's two characters made V8 keep the whole 1.7 MB as two bytes a
 * character, and decoding it took about 10 ms more than as Latin-1.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * The bundle as the CommonJS module function bin/run-built.js compiles (its bundlePrefix and
 * bundleSuffix), so that V8 compiles the file's text as read rather than a copy of it with the
 * wrapper added. The prefix goes on the first line, before the banner, which the source map maps
 * nothing of; the suffix before the source map's comment, which stays the last line.
 */
function wrapForRunBuilt(file) {
  const text = readFileSync(file, 'latin1');
  const comment = text.lastIndexOf('\n//# sourceMappingURL=');
  const at = comment === -1 ? text.length : comment + 1;
  writeFileSync(file, `${bundlePrefix}${text.slice(0, at)}${bundleSuffix}${text.slice(at)}`, 'latin1');
}

/**
 * Each file of the build (its name) with the bundled packages inside it (`packagesIn`) and their
 * modules (`modulesIn`, as node_modules/...): what loading that file loads.
 */
function bundledByOutput(metafile) {
  const packagesIn = {};
  const modulesIn = {};
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const modules = Object.keys(inputs).filter((input) => input.startsWith('node_modules/'));
    const name = output.split('/').at(-1);
    modulesIn[name] = modules;
    packagesIn[name] = [...new Set(modules.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []))];
  }
  return { packagesIn, modulesIn };
}

/** Whether `outDir` holds a build of the sources as they are now (the check bin/photon.js makes before running it). */
export function buildIsCurrent(outDir = cliOutDir) {
  return buildCurrent.buildIsCurrent(projectRoot, outDir);
}

/** A file's fingerprint as the manifest records it (bin/build-current.js says what tells a changed file). */
export function fingerprint(file) {
  return buildCurrent.fingerprint(projectRoot, relative(projectRoot, file));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { sources } = await buildCli();
    process.stdout.write(`photon: built the command line into ${relative(process.cwd(), cliOutDir) || '.'} from ${sources} sources\n`);
  } catch (error) {
    // An install without devDependencies has no esbuild: photon then runs its sources through tsx.
    if (error?.code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write('photon: esbuild is not installed, so the command line was not built; it will run from its TypeScript sources (slower to start)\n');
    } else {
      throw error;
    }
  }
}
