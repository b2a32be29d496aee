// Preloaded into a process the benchmark measures (NODE_OPTIONS=--import ...): as the process
// exits, appends the CPU it used (user and system, all its threads, in microseconds) as one JSON
// line to $PHOTON_CPU_USAGE_FILE. process.cpuUsage is the kernel's account of this process alone:
// the pty host and the steps it starts are not in it.
import { appendFileSync } from 'node:fs';

const file = process.env.PHOTON_CPU_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, argv: process.argv.slice(1), user, system })}\n`);
  });
}
