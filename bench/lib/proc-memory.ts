/** A process's memory as Linux reports it in /proc/PID/status (kB): resident now, and the peak since it started. */
import { readFileSync } from 'node:fs';

export interface Memory {
  rssKb: number;
  hwmKb: number;
}

/** VmRSS and VmHWM of `pid`, or null once it is gone. */
export function readMemory(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null;
  }
}
