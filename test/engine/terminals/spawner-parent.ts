import { readFileSync } from 'node:fs';
import { readStat } from '../../../electron/engine/terminals/process-group.js';

/** The photon-pty-spawner that started `pid` (its parent), or undefined when node-pty did (Linux: /proc). */
export function spawnerOf(pid: number): number | undefined {
  const parent = readStat(pid)?.ppid;
  if (parent === undefined) return undefined;
  try {
    return readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0')[0]!.endsWith('/photon-pty-spawner') ? parent : undefined;
  } catch {
    return undefined;
  }
}

/** The pty host that started `pid`: its parent, or its parent's when a photon-pty-spawner of the host's forked it. */
export function hostOf(pid: number): number | undefined {
  const spawner = spawnerOf(pid);
  return spawner === undefined ? readStat(pid)?.ppid : readStat(spawner)?.ppid;
}
