// Preloaded into `photon run` by bench/chain-link.bench.ts (node --import this): when the engine
// was about to write each spawn frame to its pty host and read each 'spawned' and 'exit' frame back, in the
// machine's clock, written at its exit into $PHOTON_LINK_TIMELINE_DIR/engine-PID.json as [name, ms]
// pairs (E.request, E.spawned, E.exit), with the CPU the engine (all its threads, and its main
// thread alone as "main"), its host and their spawner had used by then (ms, from
// /proc/PID/task/*/schedstat) under "cpu". The host is either the Node host (pty-host-main.js, with
// photon-pty-spawner as its child) or the host in C (photon-pty-spawner --host, which has no
// spawner of its own: its spawner column stays empty).
import childProcess from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { watchHostFrames } from './host-frames.mjs';

const dir = process.env.PHOTON_LINK_TIMELINE_DIR;
const events = [];
const now = () => performance.timeOrigin + performance.now();
let host;
/** The host's and its spawner's CPU when the engine let the host go, if it did. */
let released;

/** On-processor time of every thread of `pid`, in ms (Linux), or undefined once it is gone. */
function cpuMs(pid) {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/** On-processor time of one thread, in ms (Linux), or undefined. */
function threadCpuMs(pid, tid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

function spawnerOf(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.map(Number).find((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')[0].endsWith('photon-pty-spawner'));
  } catch {
    return undefined;
  }
}

function helpersCpu() {
  const spawner = host === undefined ? undefined : spawnerOf(host);
  return { host: host === undefined ? undefined : cpuMs(host), spawner: spawner === undefined ? undefined : cpuMs(spawner) };
}

if (dir) {
  const spawn = childProcess.spawn;
  childProcess.spawn = function (file, args, ...rest) {
    const child = spawn.call(this, file, args, ...rest);
    const nodeHost = (args ?? []).some((arg) => String(arg).endsWith('pty-host-main.js'));
    const hostInC = String(file).endsWith('photon-pty-spawner') && (args ?? []).includes('--host');
    if (!nodeHost && !hostInC) return child;
    host = child.pid;
    // A command whose steps are over lets the host go (PtyHost.release) before it exits: the host's
    // and its spawner's CPU are read then, while they are still there to be read.
    const destroy = child.stdin.destroy;
    child.stdin.destroy = function (...destroyArgs) {
      released = helpersCpu();
      return destroy.apply(this, destroyArgs);
    };
    watchHostFrames(child, {
      onWrite: (type) => type === 1 && events.push(['E.request', now()]),
      onRead: (type) => {
        if (type === 1) events.push(['E.spawned', now()]);
        else if (type === 3) events.push(['E.exit', now()]);
      },
    });
    return child;
  };
  syncBuiltinESMExports();
  process.on('exit', () => {
    const cpu = { engine: cpuMs(process.pid), main: threadCpuMs(process.pid, process.pid), ...(released ?? helpersCpu()) };
    writeFileSync(join(dir, `engine-${process.pid}.json`), JSON.stringify({ events, cpu }));
  });
}
