// Photon's pty host: a small Node process that owns every pseudo-terminal the engine starts.
//
// Why a process of its own: node-pty starts each program with forkpty(), and fork() copies the
// page tables of the process that calls it. From the engine (a large process: SQLite, the runs,
// the server) that cost about 4 ms of its main thread per process started, most of a short step's
// price (bench/dag.bench.ts); from this process it costs what a bare node-pty loop pays. Plain
// JavaScript, so it starts with `node` alone and stays as small as it can be.
//
// Protocol (terminals/pty-host.ts is the other side): frames on stdin (engine -> host) and stdout
// (host -> engine), each [length u32 BE][type u8][terminal id u32 BE][payload]; `length` counts the
// type, the id and the payload. A payload is the terminal's output as it was read (bytes: a UTF-8
// character may be split between two frames), UTF-8 text written to it, or JSON.
// stdin and stdout are replaced by each terminal in its own process (forkpty's login_tty), so no
// program started here can reach the protocol.
//
// It lives exactly as long as the engine: when the engine's end of stdin closes (the engine
// exited, crashed or was SIGKILLed), it exits, which closes every master and hangs up every
// terminal, just as the engine's own death did when it held them.
import { closeSync, constants as fsConstants, existsSync, mkdir, openSync, readSync } from 'node:fs';
import pty from 'node-pty';

// The same numbers as in terminals/pty-host.ts.
const toHost = { spawn: 1, write: 2, resize: 3, pause: 4, resume: 5, environment: 6 };
const toEngine = { spawned: 1, data: 2, exit: 3, failed: 4 };

const terminals = new Map();

/** Masters open in this process: node-pty leaves them inheritable (see withoutInheritedMasters). */
const openMasters = new Set();
const bash = process.platform === 'linux' ? ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path)) : undefined;

/**
 * On Linux node-pty (1.1) opens each pty with forkpty() and never marks the master side
 * close-on-exec, so every process started later inherits the masters of the terminals open at the
 * time (node-pty issue #657): a tool in one terminal could read another terminal's output or type
 * into it. Node cannot set FD_CLOEXEC itself, so a program started while others are open goes
 * through bash, which closes those descriptors and then execs the program: same process, same pid.
 * macOS is not affected (node-pty spawns there with POSIX_SPAWN_CLOEXEC_DEFAULT).
 */
function withoutInheritedMasters(file, args) {
  if (!bash || openMasters.size === 0) return { file, args: [...args] };
  const closes = `exec ${[...openMasters].map((fd) => `${fd}>&-`).join(' ')};`;
  // Already `bash -c SCRIPT`: bash closes them itself before the script, without a second program start.
  if (/(^|\/)bash$/.test(file) && args[0] === '-c' && args.length >= 2) return { file, args: ['-c', `${closes} ${args[1]}`, ...args.slice(2)] };
  // `bash -c SCRIPT NAME ARGS...`: NAME is $0, so "$@" is the program with its own arguments.
  return { file: bash, args: ['-c', `${closes} exec "$@"`, file, file, ...args] };
}

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
  for (const child of terminals.values()) child.pause();
  // Past the high-water mark a write returned false: 'drain' comes once all of it is written.
  process.stdout.once('drain', () => {
    backlogged = false;
    for (const [id, child] of terminals) if (!pausedByEngine.has(id)) child.resume();
  });
}

/** Output read and not yet sent, per terminal, as node-pty read it (Buffers: see spawn). */
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
 * xterm's work, counted per frame: a frame is at most about a quarter of that window even when all
 * of it is line feeds (31 of work a byte: shared/terminals.ts), as the engine's batches are. With
 * frames of 64 KB, `yes` (11 of work a byte) went a whole frame past the window before the pause,
 * all of it for xterm to parse before the prompt after a Ctrl-C.
 */
const outputFrameBytes = 16 * 1024;

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
  process.stdout.cork();
  for (const [id, chunks] of output) writeFrame(toEngine.data, id, chunks);
  output.clear();
  outputBytes = 0;
  process.stdout.uncork();
  holdBack();
}

/** A report other than output: what the terminals printed before it goes first, so an exit follows its last output. */
function send(type, id, payload) {
  sendOutput();
  process.stdout.cork();
  writeFrame(type, id, payload === undefined ? [] : [Buffer.from(JSON.stringify(payload), 'utf8')]);
  process.stdout.uncork();
  holdBack();
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
    if (error) send(toEngine.failed, id, { message: error });
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

function spawn(id, request) {
  let child;
  try {
    const program = withoutInheritedMasters(request.file, request.args);
    child = pty.spawn(program.file, program.args, { name: 'xterm-256color', cols: request.cols, rows: request.rows, cwd: request.cwd, env: request.env, encoding: null });
  } catch (error) {
    send(toEngine.failed, id, { message: error instanceof Error ? error.message : String(error) });
    return;
  }
  terminals.set(id, child);
  if (backlogged) child.pause();
  const internals = child;
  if (typeof internals._fd === 'number' && internals._socket) {
    const fd = internals._fd;
    openMasters.add(fd);
    internals._socket.once('close', () => openMasters.delete(fd));
  }
  send(toEngine.spawned, id, { pid: child.pid });
  const releaseFarSide = holdFarSide(child);
  const deliver = (data) => queueOutput(id, data);
  child.onData(deliver);
  readRestAtEnd(child, deliver);
  child.onExit(({ exitCode, signal }) => {
    releaseFarSide();
    terminals.delete(id);
    pausedByEngine.delete(id);
    send(toEngine.exit, id, { exitCode, signal: signal || 0 });
  });
}

/**
 * Keeps the terminal's far side open until the leader has exited. Otherwise a program that closes
 * its own stdio before it exits (coreutils such as `touch` do, and a shell execs the last command
 * of `-c`) leaves the pty without a far side: node-pty sees the hang-up and closes the master, and
 * the kernel kills the still-exiting program with SIGHUP, so a step that succeeded is reported
 * "killed by SIGHUP". node-pty marks the leader's exit by setting `_boundClose`; letting go then
 * ends the stream at once, not after node-pty's 200 ms fallback.
 */
function holdFarSide(child) {
  if (process.platform === 'win32' || typeof child._pty !== 'string') return () => {};
  let fd;
  try {
    fd = openSync(child._pty, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {
    return () => {};
  }
  const release = () => {
    if (fd === undefined) return;
    const held = fd;
    fd = undefined;
    try {
      closeSync(held);
    } catch {
      // Already closed: nothing to let go of.
    }
  };
  let bound = child._boundClose;
  Object.defineProperty(child, '_boundClose', {
    configurable: true,
    get: () => bound,
    set: (value) => {
      bound = value;
      if (value) release();
    },
  });
  return release;
}

/**
 * libuv ends a pty's stream at the first hang-up after a short read, while the kernel may still
 * hold the end of the output (node-pty issues #72 and #726): a fast command that prints more than
 * a few kilobytes loses its last lines. When the stream ends, read what is left straight from the
 * master, until the kernel says the other side closed.
 */
function readRestAtEnd(child, deliver) {
  const fd = child._fd;
  if (process.platform === 'win32' || typeof fd !== 'number' || !child._socket) return;
  child._socket.once('end', () => {
    const buffer = Buffer.alloc(64 * 1024);
    // The kernel holds at most a few buffers; the cap only guards against a writer that never stops.
    for (let total = 0; total < 16 * buffer.length; ) {
      let read;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch {
        break; // EIO: nothing left and the other side closed; EAGAIN: nothing left for now.
      }
      if (read === 0) break;
      total += read;
      deliver(Buffer.from(buffer.subarray(0, read)));
    }
  });
}

function handle(type, id, payload) {
  if (type === toHost.environment) return void (baseEnvironment = JSON.parse(payload.toString('utf8')));
  if (type === toHost.spawn) return start(id, withEnvironment(JSON.parse(payload.toString('utf8'))));
  const waiting = starting.get(id);
  if (waiting) return void waiting.push([type, Buffer.from(payload)]);
  const child = terminals.get(id);
  if (!child) return; // Exited meanwhile: what was meant for it has nowhere to go.
  try {
    if (type === toHost.write) child.write(payload.toString('utf8'));
    else if (type === toHost.resize) {
      const { cols, rows } = JSON.parse(payload.toString('utf8'));
      child.resize(cols, rows);
    } else if (type === toHost.pause) {
      pausedByEngine.add(id);
      child.pause();
    } else if (type === toHost.resume) {
      pausedByEngine.delete(id);
      if (!backlogged) child.resume();
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
}

main();
