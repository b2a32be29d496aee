// Preloaded into the pty host by bench/chain-link.bench.ts (PHOTON_PTY_HOST_NODE_OPTIONS="--import
// this"): when each frame of a chain link passed through the host, in the machine's clock
// (performance.timeOrigin + now, comparable with the engine's), written at its exit into
// $PHOTON_LINK_TIMELINE_DIR/host-PID.json as [name, ms] pairs. Names: H.request (a spawn frame read
// from the engine), H.toSpawner (its request about to be written to photon-pty-spawner), H.started
// and H.exited (the spawner's 'S' and 'X' read), H.spawned and H.exit (those frames about to be
// written to the engine).
import childProcess from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { frameTypes } from './host-frames.mjs';

const dir = process.env.PHOTON_LINK_TIMELINE_DIR;
const events = [];
const now = () => performance.timeOrigin + performance.now();

if (dir) {
  const fromEngine = frameTypes((type) => type === 1 && events.push(['H.request', now()]));
  const emit = process.stdin.emit;
  process.stdin.emit = function (name, chunk, ...rest) {
    if (name === 'data') fromEngine(chunk);
    return emit.call(this, name, chunk, ...rest);
  };
  // Frames to the engine are written head first, then the payload (pty-host-main.js writeFrame).
  // Noted before each write: the process it wakes may run and note its own side first.
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    if (chunk.length === 9 && chunk[4] === 1) events.push(['H.spawned', now()]);
    else if (chunk.length === 9 && chunk[4] === 3) events.push(['H.exit', now()]);
    return write.call(this, chunk, ...rest);
  };
  const spawn = childProcess.spawn;
  childProcess.spawn = function (file, args, ...rest) {
    const child = spawn.call(this, file, args, ...rest);
    if (!String(file).endsWith('photon-pty-spawner') || (args && args.length > 0)) return child;
    const toSpawner = child.stdin.write;
    child.stdin.write = function (...writeArgs) {
      events.push(['H.toSpawner', now()]);
      return toSpawner.apply(this, writeArgs);
    };
    const fromSpawner = frameTypes((type) => events.push([type === 0x53 ? 'H.started' : type === 0x58 ? 'H.exited' : 'H.failed', now()]));
    const emitOut = child.stdout.emit;
    child.stdout.emit = function (name, chunk, ...emitRest) {
      if (name === 'data') fromSpawner(chunk);
      return emitOut.call(this, name, chunk, ...emitRest);
    };
    return child;
  };
  syncBuiltinESMExports();
  process.on('exit', () => writeFileSync(join(dir, `host-${process.pid}.json`), JSON.stringify(events)));
}
