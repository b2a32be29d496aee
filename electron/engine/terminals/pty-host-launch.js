// How the pty host's process is started (terminals/pty-host.ts owns it once started), in plain
// JavaScript so that bin/photon.js can start it before it loads the command line. A `photon run`
// waited for the host at its first step: the host's Node start-up only began once the command line
// was loaded, and ended after the engine had asked for that step.
import { spawn } from 'node:child_process';

/**
 * How the host is started: photon-pty-spawner itself (`--host`: the host in C) where it is built,
 * with no Node process between the engine and the ptys; the Node host (pty-host-main.js) where it
 * is not, or where PHOTON_PTY_HOST=node asks for it (then with the spawner starting its programs).
 */
export function ptyHostArgs(hostScript, spawner, env = process.env) {
  if (!spawner) return [hostScript];
  return env.PHOTON_PTY_HOST === 'node' ? [hostScript, spawner] : [spawner, '--host'];
}

/** The args a host was started with (ptyHostArgs's), for takePrelaunchedPtyHost to compare; global, as `prelaunched` is. */
const startedWith = Symbol.for('photon.ptyHost.args');

/** The host, as ptyHostArgs says: the C host (the spawner's binary first), or a script run with this process's Node. */
export function launchPtyHost(args) {
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  // The engine's own loader flags (tsx) are not the host's: it is plain JavaScript. Its own, when
  // asked for (bench/terminal.bench.ts preloads its profiler there), come in their own variable.
  delete env.NODE_OPTIONS;
  if (process.env.PHOTON_PTY_HOST_NODE_OPTIONS) env.NODE_OPTIONS = process.env.PHOTON_PTY_HOST_NODE_OPTIONS;
  // Node reads and parses the certificates this names as it starts, before any code runs: about
  // 50 ms of CPU (a CA bundle of 144 certificates: node -e 0 took 95 -> 45 ms of user CPU without
  // it) that the host, which makes no TLS connection, spent beside the engine's loading at every
  // `photon run`. The terminals' environment is the engine's (pty-host-main.js's baseEnvironment),
  // so their programs still get it.
  delete env.NODE_EXTRA_CA_CERTS;
  // The host in C reads none of these; its programs get the environment the engine sends.
  const [file, ...rest] = args[0].endsWith('.js') ? [process.execPath, ...args] : args;
  const child = spawn(file, rest, { stdio: ['pipe', 'pipe', 'inherit'], env, windowsHide: true });
  child[startedWith] = args;
  return child;
}

/** Shared through the global object: the command line's bundle has a copy of this module of its own. */
const prelaunched = Symbol.for('photon.ptyHost.prelaunched');

/**
 * Starts the host ahead, for pty-host.ts to take (takePrelaunchedPtyHost). Until then it holds this
 * process open no more than an idle host does; never taken, it ends with this process.
 */
export function prelaunchPtyHost(args) {
  const child = launchPtyHost(args);
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  child.unref();
  child.stdin.unref();
  child.stdout.unref();
  globalThis[prelaunched] = child;
}

/** The host started ahead with exactly `args`, still running, or undefined (then it is left to end with this process). */
export function takePrelaunchedPtyHost(args) {
  const child = globalThis[prelaunched];
  delete globalThis[prelaunched];
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return undefined;
  const started = child[startedWith];
  const same = started.length === args.length && args.every((arg, i) => started[i] === arg);
  return same ? child : undefined;
}
