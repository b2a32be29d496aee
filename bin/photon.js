#!/usr/bin/env node
// The `photon` command. It starts from the JavaScript that `npm install` built into out/cli/
// (scripts/build-cli.js), which spares the half second tsx takes to compile the sources at every
// start, and from V8's cache of that JavaScript's compiled code (run-built.js). That build runs only
// while every source it was made from is unchanged (build-current.js): after an edit, a `git pull`
// or a missing build, the sources run through tsx instead, so old code never runs. `npm run
// build:cli` rebuilds it.
//
// A CommonJS file (bin/package.json), as is run-built.js: as an ES module, the entry had Node set up
// its ES module loader before anything ran, about 10 ms of CPU at every start (--help 171 -> 153
// ms of CPU, medians of 9). Still set up for the tsx fallback, which imports ES modules, and for a
// run's prelaunch of its pty host where Node cannot require() its ES module quietly.
'use strict';
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const { buildIsCurrent } = require('./build-current.js');
const { lightCommands, runBuilt } = require('./run-built.js');

const root = resolve(__dirname, '..');
const built = join(root, 'out', 'cli');
const argv = process.argv.slice(2);

/**
 * Whether require() loads an ES module here without a warning: Node 20 from 20.19 (where
 * process.features.require_module appears) and Node 24 on. The prelaunch's module then comes
 * through require(), not import(), whose asynchronous loading took about 8 ms more of the start's
 * CPU (22.3 against 14.6 ms, medians of 12 at load 12); Node 22 before 22.13 warns, and import()
 * serves every Node the same.
 */
function requiresModulesQuietly() {
  if (!process.features.require_module) return false;
  const major = Number(process.versions.node.split('.')[0]);
  return major === 20 || major >= 24;
}

/** The command: top-level await is for ES modules only. */
async function photon() {
  // `photon run` on this machine (not --server): the steps' pty host starts now, its Node start-up
  // beside this one's, rather than once the command line is loaded, when the first step then waited
  // for it. terminals/pty-host.ts takes it if it is what it would have started (the spawner as
  // ptySpawnerPath finds it from the sources or this build), else starts its own.
  if (argv[0] === 'run' && !argv.some((arg) => arg === '--server' || arg.startsWith('--server=')) && !process.env.PHOTON_SERVER) {
    const spawner = join(root, 'out', 'pty-spawner', 'photon-pty-spawner');
    const withSpawner = process.platform !== 'win32' && process.env.PHOTON_PTY_SPAWNER !== 'node-pty' && existsSync(spawner);
    const launcher = '../electron/engine/terminals/pty-host-launch.js';
    const { prelaunchPtyHost, ptyHostArgs } = requiresModulesQuietly() ? require(launcher) : await import(launcher);
    prelaunchPtyHost(ptyHostArgs(join(root, 'electron', 'engine', 'terminals', 'pty-host-main.js'), withSpawner ? spawner : undefined));
  }

  // run-built.js runs light.cjs for the light commands when the build has one, so only its sources need to be as built.
  if (process.env.PHOTON_CLI_FROM_SOURCE !== '1' && buildIsCurrent(root, built, { light: lightCommands.includes(argv[0]) })) {
    process.exitCode = await runBuilt(built, argv);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    const { main } = await import('../electron/server/cli/main.ts');
    process.exitCode = await main(argv);
  }
  // The command is over and has closed what it opened: the process ends now, unless its output is
  // still being written (a pipe read slowly), which process.exit would cut short. Left to end by
  // itself, Node first tore down V8's heap page by page: from the 'exit' event to the process's end,
  // a one-step `photon run` took 44 ms, 20 with this (medians of 11, load 5), a chain of 300 steps 84, 41.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
  // Every command closes what it opened; should a handle still linger, do not hang the shell on it.
  setTimeout(() => process.exit(), 2000).unref();
}

photon();
