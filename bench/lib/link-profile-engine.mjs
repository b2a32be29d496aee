// Preloaded into `photon run` by bench/link-profile.bench.ts (node --import this): V8's CPU profile
// of the whole run (Node refuses --cpu-prof in NODE_OPTIONS, and a profile bracketed by signals
// would miss the links' edges), with the time of each exit frame the engine read from its pty host
// and each spawn frame it wrote, in the profile's own clock (microseconds of the monotonic clock,
// as V8 stamps its samples), so that the samples between a step's exit and the next step's spawn
// request can be picked out. Written at exit to $PHOTON_LINK_PROFILE_DIR/engine-PID.json as
// { events: [[name, us]], profile }. Only the host in C (photon-pty-spawner --host) is watched.
import childProcess from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

const dir = process.env.PHOTON_LINK_PROFILE_DIR;
if (dir) {
  const events = [];
  const now = () => Number(process.hrtime.bigint() / 1000n);
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PHOTON_LINK_PROFILE_INTERVAL_US ?? 50) });
  session.post('Profiler.start');
  const spawn = childProcess.spawn;
  childProcess.spawn = function (file, args, ...rest) {
    const child = spawn.call(this, file, args, ...rest);
    if (!String(file).endsWith('photon-pty-spawner') || !(args ?? []).includes('--host')) return child;
    const write = child.stdin.write;
    // Noted before the write: the host, woken by it, may run first.
    child.stdin.write = function (chunk, ...writeArgs) {
      if (chunk[4] === 1) events.push(['spawn', now()]);
      return write.call(this, chunk, ...writeArgs);
    };
    let pending = Buffer.alloc(0);
    const emit = child.stdout.emit;
    child.stdout.emit = function (name, chunk, ...emitArgs) {
      if (name === 'data') {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        let at = 0;
        while (pending.length - at >= 5 && pending.length - at - 4 >= pending.readUInt32BE(at)) {
          if (pending[at + 4] === 3) events.push(['exit', now()]);
          at += 4 + pending.readUInt32BE(at);
        }
        pending = pending.subarray(at);
      }
      return emit.call(this, name, chunk, ...emitArgs);
    };
    return child;
  };
  syncBuiltinESMExports();
  process.once('exit', () => {
    // The in-process session answers synchronously, before the process is gone.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `engine-${process.pid}.json`), JSON.stringify({ events, profile: result.profile }));
    });
  });
}
