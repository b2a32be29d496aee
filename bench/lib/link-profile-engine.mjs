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
import { watchHostFrames } from './host-frames.mjs';

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
    watchHostFrames(child, {
      onWrite: (type) => type === 1 && events.push(['spawn', now()]),
      onRead: (type) => type === 3 && events.push(['exit', now()]),
    });
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
