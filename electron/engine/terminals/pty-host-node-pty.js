// The pty host's way of starting a terminal through node-pty's own pty.spawn (forkpty() from the
// host). Photon's spawner (pty-spawner-client.js) starts them where it can; this way stays for
// Windows, for a machine where the spawner could not be built (no C compiler at install), and for
// tests (PHOTON_PTY_SPAWNER=node-pty). Its terminals have the shape pty-spawner-client.js's have:
// pause, resume, write and resize, reporting through `events` (spawned, data, exit, failed).
import { closeSync, constants as fsConstants, existsSync, openSync, readSync } from 'node:fs';
import pty from 'node-pty';

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

/** Starts `request` (file, args, cwd, env, cols, rows); returns the terminal, or undefined once it has reported `failed`. */
export function spawnWithNodePty(request, events) {
  let child;
  try {
    const program = withoutInheritedMasters(request.file, request.args);
    child = pty.spawn(program.file, program.args, { name: 'xterm-256color', cols: request.cols, rows: request.rows, cwd: request.cwd, env: request.env, encoding: null });
  } catch (error) {
    events.failed(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  const internals = child;
  if (typeof internals._fd === 'number' && internals._socket) {
    const fd = internals._fd;
    openMasters.add(fd);
    internals._socket.once('close', () => openMasters.delete(fd));
  }
  events.spawned(child.pid);
  const releaseFarSide = holdFarSide(child);
  child.onData(events.data);
  readRestAtEnd(child, events.data);
  child.onExit(({ exitCode, signal }) => {
    releaseFarSide();
    events.exit(exitCode, signal || 0);
  });
  return {
    write: (text) => child.write(text),
    resize: (cols, rows) => child.resize(cols, rows),
    pause: () => child.pause(),
    resume: () => child.resume(),
  };
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
  child._socket.once('end', () => readRest(fd, deliver));
}

/**
 * readRest's buffer, one for the host: every terminal's end reads into it (what it delivers is a
 * copy). Each end zero-filled 64 KB of its own before, 19 MB over a chain of 300 steps for the
 * garbage collector to find, though the program had printed nothing.
 */
let restBuffer;

/**
 * What the kernel still holds on a master, read at once; the cap only guards against a writer that
 * never stops. Returns why it stopped: 'ended' (EIO or end of file: nothing left and the far side
 * closed), 'open' (EAGAIN: nothing left for now), 'capped', or 'failed' (any other error).
 */
export function readRest(fd, deliver) {
  const buffer = (restBuffer ??= Buffer.allocUnsafe(64 * 1024));
  for (let total = 0; total < 16 * buffer.length; ) {
    let read;
    try {
      read = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') return 'open';
      return error.code === 'EIO' ? 'ended' : 'failed';
    }
    if (read === 0) return 'ended';
    total += read;
    deliver(Buffer.from(buffer.subarray(0, read)));
  }
  return 'capped';
}
