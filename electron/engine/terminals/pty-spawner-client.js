// The pty host's way of starting a terminal through photon-pty-spawner (pty-spawner/pty-spawner.c).
//
// Why: node-pty's pty.spawn forks the host, a Node process of some 50 MB, and starts a thread per
// process to wait for it. Here the host opens the pseudo-terminal itself (node-pty's native
// `open`: openpty, no fork) and a small C process, started once, starts each program on its far
// side (vfork and exec) and reports its exit. A terminal has the shape pty-host-node-pty.js's have: pause,
// resume, write and resize, reporting through `events` (spawned, data, exit, failed).
//
// The host keeps each terminal's far side (the slave) open until the spawner has reported the
// leader's exit: a program that closes its stdio before it exits (coreutils' `touch` does) then
// never leaves the pty without a far side, so no early hang-up cuts the output short or kills it
// with SIGHUP (what holdFarSide in pty-host-node-pty.js does for node-pty). Once the exit is in,
// the host lets go of the far side and reads the master until the kernel says it is empty and
// closed (EIO), at once where nothing else holds the far side: only then is the exit reported,
// after the last of the output.
import { spawn as startProcess, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, openSync, readSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import tty from 'node:tty';
import pty from 'node-pty';
import { readRest } from './pty-host-node-pty.js';

/** The version pty-spawner.c answers `--protocol` with; a stale build answers another. */
const protocolVersion = 2;
const stages = { request: 1, fork: 2, terminal: 3, cwd: 4, exec: 5 };
const terminalName = 'xterm-256color';
/**
 * How long after its leader's exit a terminal's output may take to end before the exit is reported
 * anyway: a background job may hold the far side open, or the engine may have paused the terminal
 * (then what the kernel holds is read at once). node-pty waits as long for its stream to close.
 */
const endGraceMs = 200;
/** A program not reading its input: how soon a write the terminal had no room for is tried again. */
const writeRetryMs = 2;

/** node-pty's native module (openpty and resize on a master), as node-pty itself loaded it. */
const native = process.platform === 'win32' ? undefined : pty.native;

/** Why the spawner at `binary` cannot serve this host, or undefined when it can. */
export function spawnerProblem(binary) {
  if (process.platform === 'win32') return 'Windows has no pty spawner';
  if (typeof native?.open !== 'function' || typeof native.resize !== 'function') return "node-pty's native open() is not there";
  try {
    accessSync(binary, fsConstants.X_OK);
  } catch (error) {
    return `${binary} cannot be run (${error.code ?? error.message})`;
  }
  // A build for another machine, or from older sources, is found out here rather than mid-run.
  const answer = spawnSync(binary, ['--protocol'], { encoding: 'utf8', timeout: 10_000 });
  if (answer.error) return `${binary} did not run (${answer.error.message})`;
  if (answer.stdout.trim() !== String(protocolVersion)) {
    return `${binary} speaks protocol ${answer.stdout.trim() || '(none)'}, not ${protocolVersion}: rebuild it with \`node scripts/build-pty-spawner.js\``;
  }
  return undefined;
}

/** One spawner process for the host's life; a new one starts with the next terminal after it dies. */
export class Spawner {
  #binary;
  #child;
  /** Terminals by their spawner id: asked for and not yet ended (failed, or exited as the spawner reported). */
  #terminals = new Map();
  #nextId = 1;
  #pending = Buffer.alloc(0);
  /**
   * A pty opened ahead, with its master's stream (inert until a terminal takes it), for the next
   * terminal: opening one (/dev/ptmx, its ioctls) and making its stream cost about 0.1 ms of the
   * host's, which a chain of steps paid on every link between the engine's request and the fork.
   * Made once the spawner reports a program started: the host then has nothing to do until it ends.
   * (Made as soon as the request was written, it held up the spawner's fork on a busy machine: a
   * pipe's reader, woken, waits for its writer's processor when the other ones are taken.)
   */
  #spare;

  constructor(binary) {
    this.#binary = binary;
  }

  /** Starts the spawner before the first terminal asks for it. */
  warmUp() {
    this.#child ??= this.#start();
  }

  /** Starts `request` (file, args, cwd, env, cols, rows); returns the terminal, or undefined once it has reported `failed`. */
  spawn(request, events) {
    let opened;
    try {
      opened = this.#takeSpare(request.cols, request.rows) ?? { ...native.open(request.cols, request.rows), stream: undefined };
    } catch (error) {
      events.failed(`cannot open a terminal for ${request.file}: ${error.message}`);
      return undefined;
    }
    const terminal = new SpawnedTerminal(opened, request, events);
    const id = this.#nextId++;
    if (this.#nextId > 0xffff_fff0) this.#nextId = 1;
    let frame;
    try {
      frame = requestFrame(id, opened.pty, request);
    } catch (error) {
      terminal.failed(error.message);
      return undefined;
    }
    this.#terminals.set(id, terminal);
    (this.#child ?? this.#start()).stdin.write(frame);
    return terminal;
  }

  /** The spare pty at the size asked for, or undefined when there is none. */
  #takeSpare(cols, rows) {
    const spare = this.#spare;
    if (!spare) return undefined;
    this.#spare = undefined;
    if (spare.cols !== cols || spare.rows !== rows) {
      try {
        native.resize(spare.master, cols, rows);
      } catch (error) {
        spare.stream.destroy();
        closeSync(spare.slave);
        throw error;
      }
    }
    return spare;
  }

  #prepareSpare(cols, rows) {
    if (this.#spare) return;
    let opened;
    try {
      opened = native.open(cols, rows);
    } catch {
      return; // Out of ptys, say: the next terminal tries itself, and says so if it cannot.
    }
    // Made here, read only once its terminal's program runs (SpawnedTerminal.started).
    this.#spare = { ...opened, stream: new tty.ReadStream(opened.master), cols, rows };
  }

  #start() {
    // Started while other terminals are open, it inherits their masters (node-pty marks none
    // close-on-exec, nor this host's openpty): it closes every descriptor above stderr at start.
    const child = startProcess(this.#binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#child = child;
    this.#pending = Buffer.alloc(0);
    child.stdin.on('error', () => {}); // A spawner that died: its loss is reported once, from 'close'.
    child.stdout.on('data', (chunk) => this.#receive(chunk));
    child.once('error', (error) => this.#lost(child, `Photon's pty spawner (${this.#binary}) could not start: ${error.message}`));
    // After its output is read to the end: every exit it reported is in before its loss is.
    child.once('close', (code, signal) => this.#lost(child, `Photon's pty spawner (pid ${child.pid}) ended (${signal ?? `exit code ${code}`}) while the terminal ran; its process was stopped`));
    return child;
  }

  /** Reports: [length u32][type u8][id u32][a i32][b i32][text], all big-endian. */
  #receive(chunk) {
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let at = 0;
    let spareSize;
    while (data.length - at >= 4) {
      const length = data.readUInt32BE(at);
      if (data.length - at - 4 < length) break;
      const type = String.fromCharCode(data[at + 4]);
      const id = data.readUInt32BE(at + 5);
      const a = data.readInt32BE(at + 9);
      const b = data.readInt32BE(at + 13);
      const text = data.toString('utf8', at + 17, at + 4 + length);
      at += 4 + length;
      const terminal = this.#terminals.get(id);
      if (!terminal) continue;
      if (type === 'S') {
        terminal.started(a);
        spareSize = terminal.request;
      } else if (type === 'X') {
        this.#terminals.delete(id);
        terminal.exited(a, b);
      } else if (type === 'F') {
        this.#terminals.delete(id);
        terminal.failed(failureMessage(a, b, text, terminal.request));
      }
    }
    this.#pending = at === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
    // Once every report read is handled and sent (the host sends what a turn reported as it ends):
    // a program's exit read with its start (the spawner, kept off a processor until the program
    // ended, reports both at once) reaches the engine first.
    if (spareSize) process.nextTick(() => this.#prepareSpare(spareSize.cols, spareSize.rows));
  }

  #lost(child, reason) {
    if (this.#child !== child) return;
    this.#child = undefined;
    const orphans = [...this.#terminals.values()];
    this.#terminals.clear();
    for (const terminal of orphans) terminal.failed(reason);
  }
}

/**
 * [length][id][argc][envc] and the NUL-terminated strings: the far side's path, the folder, the
 * program, argv and the environment (pty-spawner.c). PWD and TERM are set as node-pty sets them.
 */
function requestFrame(id, pts, request) {
  const env = { ...request.env, PWD: request.cwd, TERM: terminalName };
  const environment = Object.keys(env).map((name) => `${name}=${env[name]}`);
  const argv = [request.file, ...request.args];
  const strings = [pts, request.cwd, request.file, ...argv, ...environment];
  const withNul = strings.find((text) => text.includes('\0'));
  if (withNul !== undefined) {
    const where = environment.includes(withNul) ? `its environment variable ${withNul.slice(0, withNul.indexOf('='))}` : argv.includes(withNul) ? 'an argument' : 'its folder';
    throw new Error(`cannot start ${request.file}: ${where} holds a NUL character, which no program can be given`);
  }
  const text = `${strings.join('\0')}\0`;
  const frame = Buffer.allocUnsafe(16 + Buffer.byteLength(text, 'utf8'));
  frame.writeUInt32BE(frame.length - 4, 0);
  frame.writeUInt32BE(id, 4);
  frame.writeUInt32BE(argv.length, 8);
  frame.writeUInt32BE(environment.length, 12);
  frame.write(text, 16, 'utf8');
  return frame;
}

/** What the user reads when a program could not start: which step of starting it failed, and why. */
function failureMessage(stage, errno, reason, request) {
  const program = request.file;
  if (stage === stages.exec && errno === osConstants.errno.ENOENT) {
    const script = scriptWithoutInterpreter(request);
    if (script) {
      const where = script.path === program ? '' : ` (${script.path})`;
      return `cannot start ${program}${where}: the interpreter its #! line names, ${script.interpreter}, is not there`;
    }
    if (!program.includes('/')) return `cannot start ${program}: no such program on its PATH (${request.env.PATH ?? 'PATH is not set'})`;
  }
  if (stage === stages.exec) return `cannot start ${program}: ${reason}`;
  if (stage === stages.cwd) return `cannot start ${program} in ${request.cwd}: ${reason}`;
  if (stage === stages.terminal) return `cannot give ${program} its terminal: ${reason}`;
  if (stage === stages.fork) return `cannot start ${program}: Photon's pty spawner could not fork (${reason})`;
  return `cannot start ${program}: Photon's pty spawner refused the request (${reason}); the spawner and the pty host disagree on the protocol`;
}

/**
 * The program, found as execvp finds it, when it is a script whose #! line names an interpreter
 * that is not there: exec then fails with ENOENT just as for a missing program, and "no such
 * program" would send the user looking for a file they can see.
 */
function scriptWithoutInterpreter(request) {
  const program = request.file;
  const folders = program.includes('/') ? [''] : (request.env.PATH ?? '/bin:/usr/bin').split(':');
  for (const folder of folders) {
    const path = isAbsolute(program) ? program : resolve(request.cwd, folder, program);
    let head;
    try {
      const fd = openSync(path, 'r');
      try {
        const buffer = Buffer.alloc(256);
        head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
      } finally {
        closeSync(fd);
      }
    } catch {
      continue; // Not in this folder (or not a file): execvp went on to the next one too.
    }
    const interpreter = head.startsWith('#!') ? head.slice(2).split('\n')[0].trim().split(/\s+/)[0] : undefined;
    if (!interpreter) return undefined;
    try {
      accessSync(interpreter, fsConstants.X_OK);
      return undefined; // It is there: the ENOENT was about something else.
    } catch {
      return { path: program.includes('/') ? program : path, interpreter };
    }
  }
  return undefined;
}

/**
 * Reads what the kernel holds on a master until it says the far side is closed and nothing is left
 * (EIO; end of file on some systems): true then, false when the far side is still open (EAGAIN).
 * Errors are made without a stack: the expected EIO ends every terminal.
 */
function drainMaster(fd, deliver) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return readRest(fd, deliver) === 'ended';
  } finally {
    Error.stackTraceLimit = limit;
  }
}

class SpawnedTerminal {
  #master;
  #slave;
  #events;
  /** The master as a stream, taken once the program runs: nothing is read before the engine knows its pid. */
  #stream;
  /** The master's stream made ahead with a spare pty, until the program runs. */
  #unstarted;
  /** The master is closed (or about to be, its stream ended): it is not to be touched again. */
  #closed = false;
  #paused = false;
  #writes = [];
  #writeRetry;
  #exit;
  #outputEnded = false;
  #endTimer;
  #done = false;

  constructor(opened, request, events) {
    this.#master = opened.master;
    this.#slave = opened.slave;
    this.#unstarted = opened.stream;
    this.request = request;
    this.#events = events;
  }

  started(pid) {
    const stream = this.#unstarted ?? new tty.ReadStream(this.#master);
    this.#unstarted = undefined;
    this.#stream = stream;
    stream.on('data', (chunk) => this.#events.data(chunk));
    // EIO: the far side is closed and everything it wrote is read. EAGAIN is a read to try again.
    stream.on('error', (error) => {
      if (error.code !== 'EAGAIN') this.#endOfOutput();
    });
    // libuv may end a pty's stream at a hang-up with output still in the kernel (node-pty #72, #726).
    stream.on('end', () => {
      readRest(this.#master, this.#events.data);
      this.#endOfOutput();
    });
    if (this.#paused) stream.pause();
    this.#events.spawned(pid);
    this.#flushWrites();
  }

  exited(exitCode, signal) {
    this.#exit = { exitCode, signal };
    this.#closeSlave();
    if (this.#outputEnded || this.#drainedToEnd()) return this.#finish();
    this.#endTimer = setTimeout(() => {
      if (!this.#closed) readRest(this.#master, this.#events.data);
      this.#finish();
    }, endGraceMs);
  }

  /** It never started (or its spawner died): nothing more will come from it. */
  failed(message) {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#endTimer);
    this.#closeSlave();
    this.#closeMaster();
    this.#events.failed(message);
  }

  write(text) {
    if (this.#closed || this.#done) return;
    this.#writes.push(Buffer.from(text, 'utf8'));
    if (this.#writes.length === 1 && this.#stream) this.#flushWrites();
  }

  resize(cols, rows) {
    if (!this.#closed) native.resize(this.#master, cols, rows);
  }

  pause() {
    this.#paused = true;
    this.#stream?.pause();
  }

  resume() {
    this.#paused = false;
    this.#stream?.resume();
  }

  /** Written straight to the master, as node-pty writes: a full terminal (EAGAIN) is tried again soon, in order. */
  #flushWrites() {
    this.#writeRetry = undefined;
    while (this.#writes.length > 0 && !this.#closed) {
      const head = this.#writes[0];
      let written;
      try {
        written = writeSync(this.#master, head);
      } catch (error) {
        if (error.code === 'EAGAIN') this.#writeRetry = setTimeout(() => this.#flushWrites(), writeRetryMs);
        else this.#writes.length = 0; // EIO: the program is gone, and its input with it.
        return;
      }
      if (written < head.length) this.#writes[0] = head.subarray(written);
      else this.#writes.shift();
    }
  }

  /**
   * Once the far side is let go of, what the program wrote is read at once, straight from the
   * master, until the kernel says it is all read and closed (EIO; a read waits for the pty's
   * pending buffers before saying so): the exit is then reported in this turn. Waiting for the
   * stream instead cost a turn of the host's loop and an error object with its stack on every exit,
   * between the program's end and the engine hearing of it (a chain of steps waits on that).
   * Not while paused (the engine's flow control holds its output back), nor with output the stream
   * holds unsent (it must go first); nor when something else holds the far side (a background job):
   * then the stream ends it, or the grace does.
   */
  #drainedToEnd() {
    if (this.#paused || this.#closed || !this.#stream || this.#stream.readableLength > 0) return false;
    const ended = drainMaster(this.#master, this.#events.data);
    if (ended) this.#outputEnded = true;
    return ended;
  }

  #endOfOutput() {
    // The stream closes the master itself once it has ended.
    this.#closed = true;
    this.#outputEnded = true;
    if (this.#exit) this.#finish();
  }

  #finish() {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#endTimer);
    clearTimeout(this.#writeRetry);
    // Closed before the exit is reported, although all of the output is read by then: closed
    // after it, the exit went about 0.06 ms sooner and the host read the engine's next request as
    // much later (bench/chain-link.bench.ts, both orders twice, ABBA, load 5), so the simpler order.
    this.#closeMaster();
    this.#events.exit(this.#exit.exitCode, this.#exit.signal);
  }

  #closeSlave() {
    if (this.#slave === undefined) return;
    const slave = this.#slave;
    this.#slave = undefined;
    closeSync(slave);
  }

  #closeMaster() {
    clearTimeout(this.#writeRetry);
    if (this.#stream) this.#stream.destroy();
    else if (this.#unstarted) this.#unstarted.destroy();
    else if (!this.#closed) closeSync(this.#master);
    this.#closed = true;
  }
}
