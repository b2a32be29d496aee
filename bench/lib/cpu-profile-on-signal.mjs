// Preloaded into a process the benchmark profiles (NODE_OPTIONS=--import ...; Node refuses
// --cpu-prof there): the first SIGUSR2 starts V8's CPU profiler, the next one writes the profile to
// $PHOTON_CPU_PROFILE_DIR/<pid>-<n>.cpuprofile. Signals bracket exactly the part being measured.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.PHOTON_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}-${++count}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
