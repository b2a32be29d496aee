import { readdirSync, readFileSync } from 'node:fs';
import { readStat } from './process-group.js';

/**
 * Finds the leader of a pseudo-terminal's process group by the variables its creator put in its
 * environment, for when its pid was never written down: an engine that dies between starting a
 * process and recording it leaves only the process itself. Linux only (/proc); elsewhere none is
 * found.
 *
 * node-pty's child leads its own session. Its descendants carry the same variables but are not
 * session leaders, except one that left with setsid; that one started later, so the leader is the
 * session leader that started first. (Once the engine is gone the terminal has hung up, so a
 * controlling terminal cannot tell them apart.)
 */
export function sessionLeaderWithEnvironment(variables: Record<string, string>): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const wanted = Object.entries(variables).map(([name, value]) => Buffer.from(`${name}=${value}\0`));
  let first: { pid: number; startTime: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (!stat || stat.session !== pid || stat.state === 'Z' || (first && first.startTime <= stat.startTime)) continue;
    let environment: Buffer;
    try {
      environment = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // Gone meanwhile, or another user's.
    }
    if (wanted.every((variable) => holds(environment, variable))) first = { pid, startTime: stat.startTime };
  }
  return first?.pid;
}

/** Whether the NUL-separated environment block holds `variable` (NAME=VALUE\0) as a whole entry. */
function holds(environment: Buffer, variable: Buffer): boolean {
  for (let at = environment.indexOf(variable); at !== -1; at = environment.indexOf(variable, at + 1)) {
    if (at === 0 || environment[at - 1] === 0) return true;
  }
  return false;
}
