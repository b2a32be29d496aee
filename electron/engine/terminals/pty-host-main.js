// Photon's pty host in Node: a small process that owns every pseudo-terminal the engine starts,
// where photon-pty-spawner is not built (or PHOTON_PTY_HOST=node asks for it). Where it is built,
// the engine starts the spawner itself as its host instead (`--host`, pty-spawner/pty-spawner-host.c),
// which does all of what is described here in C, with no Node process between the engine and the ptys.
//
// Why a process of its own: fork() copies the page tables of the process that calls it. From the
// engine (a large process: SQLite, the runs, the server) that cost about 4 ms of its main thread per
// process started, most of a short step's price (bench/dag.bench.ts). Here it opens each pty and
// photon-pty-spawner, a C process of about 1 MB, vforks and execs the program on its far side
// (pty-spawner-client.js); where the spawner is not built, node-pty forks this process instead
// (pty-host-node-pty.js). Plain JavaScript, so it starts with `node` alone and stays small.
//
// Protocol (terminals/pty-host.ts is the other side): frames on stdin (engine -> host) and stdout
// (host -> engine), each [length u32 BE][type u8][terminal id u32 BE][payload]; `length` counts the
// type, the id and the payload. A payload is the terminal's output as it was read (bytes: a UTF-8
// character may be split between two frames), UTF-8 text written to it, or integers and
// NUL-terminated strings, as pty-spawner/pty-spawner-host.c (the host in C, which the engine starts
// instead of this one where the spawner is built) documents them.
// stdin and stdout are replaced by each terminal in its own process (its far side, dup2'd over
// them), so no program started here can reach the protocol.
//
// It lives exactly as long as the engine: when the engine's end of stdin closes (the engine
// exited, crashed or was SIGKILLed), it exits, which closes every master and hangs up every
// terminal, just as the engine's own death did when it held them.
import { mkdir } from 'node:fs';
import { spawnWithNodePty } from './pty-host-node-pty.js';
import { Spawner, spawnerProblem } from './pty-spawner-client.js';

// The same numbers as in terminals/pty-host.ts.
const toHost = { spawn: 1, write: 2, resize: 3, pause: 4, resume: 5, environment: 6 };
const toEngine = { spawned: 1, data: 2, exit: 3, failed: 4 };

const terminals = new Map();

/**
 * Writes to the engine are asynchronous: while the engine is busy, what the terminals print would
 * pile up here without bound (a pty gives 25 MB/s). Past this much unread, every terminal is paused,
 * as the kernel paused a writer when the engine read the ptys itself, until the engine caught up.
 */
const maxBacklog = 1024 * 1024;
let backlogged = false;
/** Terminals the engine paused (its views' flow control): they stay paused when the backlog clears. */
const pausedByEngine = new Set();

function holdBack() {
  if (backlogged || process.stdout.writableLength <= maxBacklog) return;
  backlogged = true;
  for (const terminal of terminals.values()) terminal.pause();
  // Past the high-water mark a write returned false: 'drain' comes once all of it is written.
  process.stdout.once('drain', () => {
    backlogged = false;
    for (const [id, terminal] of terminals) if (!pausedByEngine.has(id)) terminal.resume();
  });
}

/** Output read and not yet sent, per terminal, as it was read from the master (Buffers). */
const output = new Map();
let outputBytes = 0;
let outputTimer;
let lastOutputSent = -Infinity;

/**
 * A frame carries what the terminals printed over up to this long. A flood reads the pty 4 KB at a
 * time (the line discipline's buffer), and a frame per read cost both processes a system call and
 * a wake-up each, and the engine a dispatch, a decoding and a delivery (about 260 frames per MB):
 * test/engine/terminals/pty-host-frames.test.ts. Output after a quiet spell still goes at once.
 */
const outputIntervalMs = 2;
/**
 * ...and at most this much. Flow control pauses a terminal once its view is behind by a window of
 * xterm's work, counted per frame: a frame of line feeds is 30% of that window with the pty's CR
 * before each (16 of work a byte: shared/terminals.ts), 58% without, and `yes` (11 of work a byte)
 * goes about a fifth of it past the window before the pause, all of it for xterm to parse before the
 * prompt after a Ctrl-C (frames of 64 KB took it 41% past). Each frame is a write and a wake-up of the
 * engine: in frames of 16 KB a flood took the engine about 45 reads a MB, in frames of 32 KB about
 * 28, and both processes less CPU a MB (pty-host-frames.test.ts).
 */
const outputFrameBytes = 32 * 1024;

function queueOutput(id, chunk) {
  // A read can bring more than 4 KB: what does not fit fills frames of its own.
  while (outputBytes + chunk.length > outputFrameBytes) {
    const room = outputFrameBytes - outputBytes;
    holdOutput(id, chunk.subarray(0, room));
    sendOutput();
    chunk = chunk.subarray(room);
  }
  holdOutput(id, chunk);
  if (outputTimer !== undefined || output.size === 0) return;
  const wait = lastOutputSent + outputIntervalMs - performance.now();
  if (wait <= 0) sendOutput();
  else outputTimer = setTimeout(sendOutput, wait);
}

function holdOutput(id, chunk) {
  if (chunk.length === 0) return;
  const chunks = output.get(id);
  if (chunks) chunks.push(chunk);
  else output.set(id, [chunk]);
  outputBytes += chunk.length;
}

function sendOutput() {
  clearTimeout(outputTimer);
  outputTimer = undefined;
  if (output.size === 0) return;
  lastOutputSent = performance.now();
  holdUntilTurnEnds();
  for (const [id, chunks] of output) writeFrame(toEngine.data, id, chunks);
  output.clear();
  outputBytes = 0;
}

/** A report other than output: what the terminals printed before it goes first, so an exit follows its last output. */
function send(type, id, payload) {
  sendOutput();
  holdUntilTurnEnds();
  writeFrame(type, id, [payload]);
}

function integers(...values) {
  const payload = Buffer.allocUnsafe(4 * values.length);
  values.forEach((value, i) => payload.writeInt32BE(value, i * 4));
  return payload;
}

const failure = (message) => Buffer.from(message, 'utf8');

/** NUL-terminated strings, from `at` to the end. */
function strings(payload, at = 0) {
  const text = payload.toString('utf8', at);
  return text === '' ? [] : text.slice(0, -1).split('\0');
}

/** NAME=value strings as an object. */
function variables(entries) {
  const env = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}

/** A spawn request (pty-host.ts spawnFrame) as the request it was made from, its environment as changes. */
function decodeSpawn(payload) {
  const [cols, rows, folders, args, set, unset] = [0, 1, 2, 3, 4, 5].map((i) => payload.readUInt32BE(i * 4));
  const [file, cwd, ...rest] = strings(payload, 24);
  let at = 0;
  const take = (count) => rest.slice(at, (at += count));
  return { file, cwd, cols, rows, folders: take(folders), args: take(args), env: { set: variables(take(set)), unset: take(unset) } };
}

/**
 * Everything sent to the engine in one turn of this loop goes in one write, as the turn ends: a
 * program's start and its exit that the spawner reported together (on a loaded machine it often
 * gets no processor until the program has ended), or several terminals' exits, then wake the engine
 * once, not once a frame.
 */
let holding = false;
function holdUntilTurnEnds() {
  if (holding) return;
  holding = true;
  process.stdout.cork();
  process.nextTick(() => {
    holding = false;
    process.stdout.uncork();
    holdBack();
  });
}

function writeFrame(type, id, chunks) {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const head = Buffer.allocUnsafe(9);
  head.writeUInt32BE(5 + length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  process.stdout.write(head);
  for (const chunk of chunks) process.stdout.write(chunk);
}

/**
 * The environment every process's is made from: the engine sends it once (and again when it
 * changes much), and each spawn request only what its own changes (pty-host.ts environmentChanges).
 */
let baseEnvironment = {};

/** The request with its whole environment, made now: a later base is not this request's. */
function withEnvironment(request) {
  const env = { ...baseEnvironment };
  for (const name of Object.keys(request.env.set)) env[name] = request.env.set[name];
  for (const name of request.env.unset) delete env[name];
  return { ...request, env };
}

/** Terminals whose folders are being made, with what the engine sent them meanwhile (delivered in order once they start). */
const starting = new Map();

/**
 * The folders a process needs (an attempt's temp folder) are made here, not by the engine: on the
 * way from one step's end to the next one's start the engine would wait for its busy event loop to
 * hear its thread pool. They are made off this loop too: a directory operation can wait several
 * milliseconds for the disk's journal, and the other terminals' output and exits must not.
 */
function start(id, request) {
  const folders = request.folders ?? [];
  if (folders.length === 0) return spawn(id, request);
  starting.set(id, []);
  makeFolders(folders, (error) => {
    const waiting = starting.get(id) ?? [];
    starting.delete(id);
    if (error) send(toEngine.failed, id, failure(error));
    else spawn(id, request);
    for (const [type, payload] of waiting) handle(type, id, payload);
  });
}

function makeFolders([folder, ...rest], done) {
  if (folder === undefined) return done(undefined);
  mkdir(folder, { recursive: true, mode: 0o700 }, (error) => {
    if (error) done(`cannot make its folder ${folder}: ${error.message}`);
    else makeFolders(rest, done);
  });
}

/**
 * How terminals start: through photon-pty-spawner when the engine found one (argv[2]) and it runs
 * here, through node-pty's pty.spawn otherwise (Windows, no C compiler at install, or asked for).
 * Decided, and the spawner started, as this host starts (main): the engine starts it ahead of its
 * first terminal, so asking the spawner its protocol (a process run to its end) and starting it
 * overlap the engine's own loading. Done at the first request, they held up the first step: from
 * the host reading it to the spawner being sent it, 34 to 49 ms, now 6 to 9 (medians, load 4 to 6).
 */
function terminalStarter(spawnerPath) {
  if (!spawnerPath) return spawnWithNodePty;
  const problem = spawnerProblem(spawnerPath);
  if (problem) {
    process.stderr.write(`photon: terminals start through node-pty: ${problem}\n`);
    return spawnWithNodePty;
  }
  const spawner = new Spawner(spawnerPath);
  spawner.warmUp();
  return (request, events) => spawner.spawn(request, events);
}

let startTerminal;

function spawn(id, request) {
  startTerminal ??= terminalStarter(process.argv[2]);
  const forget = () => {
    terminals.delete(id);
    pausedByEngine.delete(id);
  };
  const terminal = startTerminal(request, {
    spawned: (pid) => send(toEngine.spawned, id, integers(pid)),
    data: (chunk) => queueOutput(id, chunk),
    exit: (exitCode, signal) => {
      forget();
      send(toEngine.exit, id, integers(exitCode, signal));
    },
    failed: (message) => {
      forget();
      send(toEngine.failed, id, failure(message));
    },
  });
  if (!terminal) return;
  terminals.set(id, terminal);
  if (backlogged) terminal.pause();
}

function handle(type, id, payload) {
  if (type === toHost.environment) return void (baseEnvironment = variables(strings(payload)));
  if (type === toHost.spawn) return start(id, withEnvironment(decodeSpawn(payload)));
  const waiting = starting.get(id);
  if (waiting) return void waiting.push([type, Buffer.from(payload)]);
  const terminal = terminals.get(id);
  if (!terminal) return; // Exited meanwhile: what was meant for it has nowhere to go.
  try {
    if (type === toHost.write) terminal.write(payload.toString('utf8'));
    else if (type === toHost.resize) {
      terminal.resize(payload.readUInt32BE(0), payload.readUInt32BE(4));
    } else if (type === toHost.pause) {
      pausedByEngine.add(id);
      terminal.pause();
    } else if (type === toHost.resume) {
      pausedByEngine.delete(id);
      if (!backlogged) terminal.resume();
    }
  } catch {
    // A terminal closing at this very moment (EBADF on its master): its exit is on the way.
  }
}

function main() {
  process.title = 'photon-pty-host';
  let pending = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const length = pending.readUInt32BE(at);
      if (pending.length - at - 4 < length) break;
      const type = pending.readUInt8(at + 4);
      const id = pending.readUInt32BE(at + 5);
      handle(type, id, pending.subarray(at + 9, at + 4 + length));
      at += 4 + length;
    }
    pending = at === pending.length ? Buffer.alloc(0) : pending.subarray(at);
  });
  // The engine is gone: so is everything it started here (the masters close, the terminals hang up).
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  // The engine stopped reading: nothing here has anyone to report to.
  process.stdout.on('error', () => process.exit(0));
  // Ctrl-C (or the terminal closing) signals the whole foreground group, this host with `photon run`:
  // the engine decides what to stop, and it needs this host to do so. A handler, not an ignored
  // signal, so the programs node-pty forks from here get the default back at exec.
  for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
  // Requests that come meanwhile wait in the pipe, read once this is done.
  startTerminal = terminalStarter(process.argv[2]);
}

main();
