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

/** Whether `pid` is photon-pty-spawner serving as the pty host itself (`--host`), not under a Node host. */
export function isHostInC(pid: number): boolean {
  try {
    const [program, ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return program!.endsWith('/photon-pty-spawner') && args.length === 1 && args[0] === '--host';
  } catch {
    return false;
  }
}

/** The pty host that started `pid`: its parent, or its parent's when a photon-pty-spawner of a Node host forked it. */
export function hostOf(pid: number): number | undefined {
  const spawner = spawnerOf(pid);
  if (spawner === undefined || isHostInC(spawner)) return readStat(pid)?.ppid;
  return readStat(spawner)?.ppid;
}
